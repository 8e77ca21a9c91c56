"""Quiz.has_overrides (decision 0076): whether a quiz may have overrides, so a quiz without any
asks no override query on a start, a submit or its page.

Adding a NOT NULL column with a constant default is a catalogue change on PostgreSQL 11+ (no
table rewrite); the quizzes that already have overrides are then flagged by one UPDATE over the
overrides' quiz ids (a quiz table of thousands of rows, not the big tables).
"""

from django.db import migrations, models


def flag_overridden(apps, schema_editor):
    Quiz = apps.get_model("assessments", "Quiz")
    QuizOverride = apps.get_model("assessments", "QuizOverride")
    Quiz.objects.filter(pk__in=QuizOverride.objects.values("quiz_id")).update(has_overrides=True)


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0005_quiz_overrides"),
    ]

    operations = [
        migrations.AddField(
            model_name="quiz",
            name="has_overrides",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(flag_overridden, migrations.RunPython.noop),
    ]
