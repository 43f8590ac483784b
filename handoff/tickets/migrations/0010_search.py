"""The full-text search index: an FTS5 table on SQLite, a tsvector table with a GIN index on
PostgreSQL (``handoff.tickets.search``). Filled by the pipeline as mail is recorded; an
existing desk's mail is indexed once by the next `handoff` command (``ops.schema``)."""

from django.db import migrations

from handoff.tickets import search


def create(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    search.create(schema_editor.connection)


def drop(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    search.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0009_alter_event_kind")]
    operations = [migrations.RunPython(create, drop)]
