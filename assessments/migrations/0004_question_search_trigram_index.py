"""PostgreSQL only: a trigram index on question versions' search key, built CONCURRENTLY
(no write lock), hence not atomic. Nothing on SQLite."""

from django.db import migrations

from backend.search_migrations import trigram_index


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("assessments", "0003_search_keys"),
    ]

    operations = [
        migrations.RunPython(*trigram_index("assessments_questionversion", "search_key",
                                            "question_version_search_trgm")),
    ]
