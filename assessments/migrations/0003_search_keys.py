"""Question banks and question versions get accent-free search keys: nullable columns, a
batched backfill (backend.search_migrations), and (0004) a trigram index on PostgreSQL.
The keys are computed with the rule of today (QuestionBank.save, question_search_key), frozen
here as migrations are."""

from django.db import migrations, models

from backend.accounts.text import search_key
from backend.search_migrations import backfill


def fill(apps, schema_editor):
    backfill(apps.get_model("assessments", "QuestionBank"), "search_key",
             lambda bank: search_key(bank.title)[:255], only=("title",))
    backfill(apps.get_model("assessments", "QuestionVersion"), "search_key",
             lambda v: search_key(f"{v.title} {v.text}"), only=("title", "text"))


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0002_verbose_names"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="questionversion",
            options={"base_manager_name": "objects", "verbose_name": "question version",
                     "verbose_name_plural": "question versions"},
        ),
        migrations.AddField(
            model_name="questionbank",
            name="search_key",
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.AddField(
            model_name="questionversion",
            name="search_key",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
