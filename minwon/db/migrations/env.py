"""Alembic environment: runs against the connection handed over by minwon.db.session.migrate,
or against MINWON_DATABASE_URL when called from the alembic command line."""

from __future__ import annotations

from alembic import context

from minwon.db.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from minwon.db.session import make_engine
        from minwon.settings import get_settings

        engine = make_engine(get_settings().database_url)
        with engine.begin() as connection:
            _run_with(connection)
    else:
        _run_with(connection)


def _run_with(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run()
