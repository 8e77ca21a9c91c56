"""Lessons get accent-free search keys of their draft and published text, so the catalogue
finds a course by a phrase inside one of its lessons: nullable columns, a batched backfill
(backend.search_migrations), and (0005) trigram indexes on PostgreSQL."""

from django.db import migrations, models

from backend.search_migrations import backfill
from courses.html import lesson_search_key


def fill(apps, schema_editor):
    Lesson = apps.get_model("courses", "Lesson")
    backfill(Lesson, "search_key", lambda ls: lesson_search_key(ls.title, ls.body),
             only=("title", "body"))
    backfill(Lesson, "published_search_key",
             lambda ls: lesson_search_key(ls.published.get("title", ""), ls.published.get("body", "")),
             only=("published",), where={"published__isnull": False})


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0003_rename_lesson_files_to_private_names"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="lesson",
            options={"base_manager_name": "objects", "ordering": ["position", "id"],
                     "verbose_name": "lesson", "verbose_name_plural": "lessons"},
        ),
        migrations.AddField(
            model_name="lesson",
            name="published_search_key",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="lesson",
            name="search_key",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
