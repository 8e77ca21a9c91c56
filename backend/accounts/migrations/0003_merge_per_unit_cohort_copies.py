"""Cohorts are classes, not per-unit copies (decision 0051): merge the copies the old CSV
import made when one cohort name was given to people of several units. Reversible: each merge
is recorded in the audit log with what is needed to restore the copies
(backend.accounts.cohort_merge)."""

from django.db import migrations

from backend.accounts.cohort_merge import merge_per_unit_copies, unmerge


def forwards(apps, schema_editor):
    merge_per_unit_copies(apps)


def backwards(apps, schema_editor):
    unmerge(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_cohort_search_key"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
