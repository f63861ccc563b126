"""Claim tracking and source attribution: who said what, through whom, and how firmly.

This package is the domain. It never imports the web layer (``api``) or ``litestar``.
"""

__version__ = "0.1.0"
