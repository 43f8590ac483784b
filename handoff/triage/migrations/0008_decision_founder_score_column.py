"""The founder lane's score of a decision as a column of its own (``Decision.founder_score``),
filled from its scores, with the noise audit's partial index in place of the index on the
JSON key (whose SQL Django writes differently from one process to the next on SQLite)."""

from typing import Any

from django.db import migrations, models
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast


def fill(apps: Any, schema_editor: Any) -> None:
    decision = apps.get_model("triage", "Decision")
    decision.objects.using(schema_editor.connection.alias).update(
        founder_score=Cast(KeyTextTransform("founder", "scores"), models.FloatField())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0012_event_kinds_tags_priority_separated"),
        ("triage", "0007_decision_received_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="founder_score",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="decision",
            name="decision_founder_score",
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                condition=models.Q(("founder_score__gte", 0.1), ("lane", "noise")),
                fields=["lane", "received_at"],
                name="noise_audit",
            ),
        ),
    ]
