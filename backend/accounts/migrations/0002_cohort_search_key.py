"""Cohorts get an accent-free search key: a nullable column, then a batched backfill
(backend.search_migrations)."""

from django.db import migrations, models

from backend.accounts.text import search_key
from backend.search_migrations import backfill


def fill(apps, schema_editor):
    backfill(apps.get_model("accounts", "Cohort"), "search_key",
             lambda c: search_key(f"{c.name} {c.code}")[:400], only=("name", "code"))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="cohort",
            name="search_key",
            field=models.CharField(editable=False, max_length=400, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
