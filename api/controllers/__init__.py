"""One controller per resource; each handler calls one service method."""
