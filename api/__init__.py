"""HTTP layer: thin Litestar controllers over the ``claims`` domain."""
