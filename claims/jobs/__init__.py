"""Jobs: long work (feed polling, bulk loads, backfills, large reports) run by workers.

``store`` keeps the job rows and the lease protocol, ``queue`` the Huey instance (SQLite,
PostgreSQL or Redis storage) and the worker processes, ``runner`` runs one job, ``kinds`` is
the registry of what a job can be.
"""
