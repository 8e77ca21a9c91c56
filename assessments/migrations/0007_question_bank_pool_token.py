"""QuestionBank.pool_token (decision 0076): the key under which processes keep a bank's pools.

The callable default is evaluated once for the existing rows, so the column is added with one
constant default (a catalogue change on PostgreSQL 11+, no rewrite); banks made later get
their own random token, and every question save or retag gives its bank a new one.
"""

from django.db import migrations, models

import assessments.models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0006_quiz_has_overrides'),
    ]

    operations = [
        migrations.AddField(
            model_name='questionbank',
            name='pool_token',
            field=models.BigIntegerField(default=assessments.models.new_pool_token, editable=False),
        ),
    ]
