"""Alembic's entry for the ledger's migrations: run on the connection the ledger opened (`ledger.open_ledger`)."""

from alembic import context

from report_drafter.services.ledger.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
