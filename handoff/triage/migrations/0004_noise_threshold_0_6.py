from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('triage', '0003_conversation_lane'),
    ]

    operations = [
        migrations.AlterField(
            model_name='triagesettings',
            name='noise_threshold',
            field=models.FloatField(default=0.6),
        ),
    ]
