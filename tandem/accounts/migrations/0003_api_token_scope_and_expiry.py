"""API tokens expire (existing ones 90 days from this migration) and have a scope
(existing ones keep reading and changing, as they could; new ones read only by default)."""

import tandem.accounts.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_cache_table'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(default=tandem.accounts.models.token_expiry),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='scope',
            field=models.CharField(choices=[('read', 'Read only'), ('read_write', 'Read and change')], default='read_write', max_length=20),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='scope',
            field=models.CharField(choices=[('read', 'Read only'), ('read_write', 'Read and change')], default='read', max_length=20),
        ),
    ]
