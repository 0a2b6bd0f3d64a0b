"""Tests of `grantdocs serve`: tokens, the database, and the HTTP API against a real server."""
