"""The founder's standard as the starting SLA policies (`handoff config apply` replaces them)."""

from django.db import migrations

STANDARD = [
    # name, conditions, first response, next response, resolution (minutes)
    ("presales", {"category": ["presales"]}, 60, 60, None),
    ("billing", {"category": ["billing"]}, 240, 240, None),
    ("support", {"lane": ["team"]}, 240, 240, 1440),
]


def install(apps, schema_editor):
    Policy = apps.get_model("routing", "Policy")
    if Policy.objects.exists():
        return
    for position, (name, conditions, first, following, resolution) in enumerate(STANDARD):
        Policy.objects.create(
            name=name,
            position=position,
            conditions=conditions,
            first_response=first,
            next_response=following,
            resolution=resolution,
        )


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
