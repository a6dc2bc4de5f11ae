"""Which hash scheme a plan signature was made with (``signatures.HASH_SCHEME``).

Signatures already there were hashed before goals had family and child wordings: they are
scheme 1 (the column is added with that default), so they still verify; the default then
becomes 2 for signatures made from now on, whose hash covers the wordings too.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_existing_goals_family_wording"),
    ]

    operations = [
        migrations.AddField(
            model_name="plansignature",
            name="hash_scheme",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="plansignature",
            name="hash_scheme",
            field=models.PositiveSmallIntegerField(default=2),
        ),
    ]
