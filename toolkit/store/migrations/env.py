"""Alembic's environment for the store, run by :mod:`toolkit.store.upgrade` (no alembic.ini).

It is always handed the connection to migrate, already inside the transaction that holds the
migration lock, so every revision of a run commits together or not at all. ``target_metadata``
is the live schema, for autogenerate's comparison only: the revisions themselves never import it.
"""

from alembic import context

import toolkit.store.schema as schema

connection = context.config.attributes.get("connection")
if context.is_offline_mode() or connection is None:
    raise RuntimeError(
        "The toolkit's migrations run on a live connection: use `python -m toolkit migrate`."
    )
context.configure(
    connection=connection,
    target_metadata=schema.metadata,
    transactional_ddl=True,  # SQLite too: toolkit.store.upgrade begins its transaction itself
    render_as_batch=True,  # autogenerate writes SQLite-safe ALTERs (copy and move)
)
with context.begin_transaction():
    context.run_migrations()
