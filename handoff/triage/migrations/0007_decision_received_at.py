"""The message's arrival on its decision (copied: it never changes), so that the cockpit
counts a period's decisions by category from one index. Added empty, filled from the
messages, then required."""

from django.db import migrations, models

FILL = """
UPDATE triage_decision SET received_at = (
    SELECT received_at FROM tickets_message WHERE tickets_message.id = triage_decision.message_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0012_event_kinds_tags_priority_separated"),
        ("triage", "0006_decision_founder_score"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="received_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="decision",
            name="received_at",
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                fields=["received_at", "layer", "category"], name="decision_received"
            ),
        ),
    ]
