"""Give files uploaded before decision 0042 random storage names.

Old names (`courses/files/2026/11/ket-luan-57.pdf`) repeat what the trainer uploaded, so they can
be guessed. Each stored file a lesson points at, in its draft or its published version, is copied
to `courses/{files,videos}/<32 hex>.<ext>` and the rows are updated; the old files are deleted
only after the migration's transaction commits, so a failure leaves the old names working.
Reversing keeps the new names: they work with the earlier code too (it serves any name).
"""

import re
import secrets
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import migrations, transaction

PRIVATE = re.compile(r"^courses/(files|videos)/[0-9a-f]{32}(\.[a-z0-9]{1,10})?$")


def _new_name(old: str) -> str:
    folder = "courses/videos" if old.startswith("courses/videos/") else "courses/files"
    ext = PurePath(old).suffix.lower().lstrip(".")
    ext = f".{ext}" if ext.isalnum() and len(ext) <= 10 else ""
    return f"{folder}/{secrets.token_hex(16)}{ext}"


def rename(apps, schema_editor):
    Lesson = apps.get_model("courses", "Lesson")
    renamed: dict[str, str] = {}

    def private(old: str) -> str:
        if not old or PRIVATE.match(old):
            return old
        if old not in renamed:
            if not default_storage.exists(old):  # nothing to move; the view answers 404 for it
                renamed[old] = old
            else:
                with default_storage.open(old, "rb") as handle:
                    renamed[old] = default_storage.save(_new_name(old), handle)
        return renamed[old]

    for lesson in Lesson.objects.exclude(file="", video_file="", published__isnull=True).iterator():
        changed = False
        for field in ("file", "video_file"):
            old = getattr(lesson, field).name or ""
            new = private(old)
            if new != old:
                setattr(lesson, field, new)
                changed = True
        if lesson.published:
            for key in ("file", "video_file"):
                old = lesson.published.get(key) or ""
                new = private(old)
                if new != old:
                    lesson.published = {**lesson.published, key: new}
                    changed = True
        if changed:
            lesson.save(update_fields=["file", "video_file", "published"])

    moved = [old for old, new in renamed.items() if new != old]
    transaction.on_commit(lambda: [default_storage.delete(old) for old in moved])


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0002_lesson_files_private_names"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
