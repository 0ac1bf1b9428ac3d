"""A private PostgreSQL for one Hub run, as a context manager over :class:`pgserver.PostgresServer`
(one way to start PostgreSQL for every test): ``with LocalPostgres() as pg: pg.url``."""

from __future__ import annotations

from pgserver import PostgresServer, _free_port
from pgserver import _bin_dir as postgres_bin

__all__ = ["LocalPostgres", "_free_port", "postgres_bin"]


class LocalPostgres:
    """A server with one empty database named ``database``; ``url`` is its SQLAlchemy URL."""

    def __init__(self, database: str = "toolkit") -> None:
        if postgres_bin() is None:
            raise RuntimeError(
                "PostgreSQL's initdb was not found; install it with "
                "apt-get install -y postgresql (test.sh does this)."
            )
        self.server = PostgresServer()
        self.database = database
        self.url = self.server.url(database)

    def start(self) -> LocalPostgres:
        self.server.start()
        self.server._admin(f'CREATE DATABASE "{self.database}"')
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> LocalPostgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
