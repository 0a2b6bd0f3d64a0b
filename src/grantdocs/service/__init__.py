"""``grantdocs serve``: the HTTP API, its database, tokens, and the batch jobs behind it.

FastAPI and uvicorn are imported only in this package (and ``cli/serve.py``); the
library below knows nothing of it. ``settings`` is the configuration, ``db`` the state
(SQLAlchemy 2, migrations in ``migrations/``), ``app`` the API.
"""
