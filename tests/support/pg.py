"""A private PostgreSQL for one Hub run, as a context manager over :class:`pgserver.PostgresServer`
(one way to start PostgreSQL for every test): ``with LocalPostgres() as pg: pg.url``."""

from __future__ import annotations

from tests.support.pgserver import OWNER_ROLE, SERVERS_ROLE, PostgresServer, _free_port
from tests.support.pgserver import _bin_dir as postgres_bin

__all__ = ["LocalPostgres", "_free_port", "postgres_bin"]


class LocalPostgres:
    """A server with one database named ``database``, set up by its owner: ``url`` connects as
    the servers' role (what the Hub hands the people's servers), ``owner_url`` as the owner
    (for seeding, as an administrator's commands do)."""

    def __init__(self, database: str = "toolkit") -> None:
        if postgres_bin() is None:
            raise RuntimeError(
                "PostgreSQL's initdb was not found; install it with "
                "apt-get install -y postgresql (test.sh does this)."
            )
        self.server = PostgresServer()
        self.database = database
        self.url = self.server.url(database, SERVERS_ROLE)
        self.owner_url = self.server.url(database, OWNER_ROLE)

    def start(self) -> LocalPostgres:
        self.server.start()
        self.server.new_database(name=self.database)
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
