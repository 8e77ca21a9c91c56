"""PostgreSQL only: trigram indexes so `LIKE '%phrase%'` on lesson keys stays fast on large
tables, built CONCURRENTLY (no write lock), hence not atomic. Nothing on SQLite."""

from django.db import migrations

from backend.search_migrations import trigram_index


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("courses", "0004_lesson_search_keys"),
    ]

    operations = [
        migrations.RunPython(*trigram_index("courses_lesson", "search_key", "lesson_search_trgm")),
        migrations.RunPython(*trigram_index("courses_lesson", "published_search_key",
                                            "lesson_pub_search_trgm")),
    ]
