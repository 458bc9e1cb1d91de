from alembic import context

from db.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from db.engine import get_engine, schema_transaction

        with schema_transaction(get_engine()) as own_connection:  # the app's locks and SQLite foreign-key guard
            _run(own_connection)
    else:
        _run(connection)


def _run(connection) -> None:
    # SQLite cannot ALTER most columns in place; batch mode rebuilds the table and keeps its rows.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
