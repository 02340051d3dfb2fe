"""Alembic environment: the URL comes from the app's settings unless a caller passes one."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import text

import app.models  # noqa: F401  (registers every table)
from app.config import get_settings
from app.db import make_engine, normalise_url
from app.models import metadata

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return normalise_url(config.attributes.get("url") or get_settings().database_url)


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), target_metadata=metadata, render_as_batch=True, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url(), pool_size=1)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    if connection.dialect.name == "sqlite" and not connection.in_transaction():
        # batch migrations rebuild a table (copy, drop, rename): with foreign keys on, the
        # drop fails once other tables' rows point at it. Off for the migration only
        # (outside any transaction, where SQLite allows the change); checked after.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    schema = config.attributes.get("schema")
    if schema:
        connection.execute(text(f'SET search_path TO "{schema}"'))
        connection.commit()
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        version_table_schema=schema,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.dialect.name == "sqlite":
        broken = connection.connection.driver_connection.execute(
            "PRAGMA foreign_key_check"
        ).fetchall()
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
        if broken:
            raise RuntimeError(f"the migration left rows that point nowhere: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
