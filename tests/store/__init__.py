"""The store and the workflows on it, on SQLite and on a real PostgreSQL (``database_url``)."""
