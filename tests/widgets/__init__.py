"""Screens built without a kernel or a browser: set ``.value``, ``.click()``, check the store."""
