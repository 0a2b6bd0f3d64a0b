"""Alembic migrations of the service's database (run by :func:`grantdocs.service.db.migrate`)."""
