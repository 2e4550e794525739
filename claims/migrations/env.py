"""Alembic environment: migrate the connection Store hands over (or the URL in the config).

Store.migrate() builds the Config in code and passes an open connection in
``config.attributes["connection"]``; no alembic.ini is needed, so this works
from any directory and when the package is installed.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from claims.migrations import include_name, load_models

# every module with tables on claims.store.metadata (claims.migrations.MODEL_MODULES)
target_metadata = load_models()

config = context.config


def _configure(connection: sa.engine.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite can only ALTER through table copies
        compare_type=True,
        include_name=include_name,
    )


def run_migrations_online() -> None:
    """Run migrations on the handed-over connection, else on a fresh engine for sqlalchemy.url."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
