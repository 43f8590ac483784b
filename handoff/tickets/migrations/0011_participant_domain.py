"""Each participant's domain, for the customer panel's "same company": added, then filled
from the addresses already there, in one statement."""

from django.db import migrations, models


def fill(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE tickets_participant SET domain = lower(split_part(address, '@', 2))"
            )
        else:
            cursor.execute(
                "UPDATE tickets_participant "
                "SET domain = lower(substr(address, instr(address, '@') + 1)) "
                "WHERE instr(address, '@') > 0"
            )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0010_search")]
    operations = [
        migrations.AddField(
            model_name="participant",
            name="domain",
            field=models.CharField(blank=True, db_index=True, max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
