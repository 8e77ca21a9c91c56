"""Library folders become content-addressed (docs/decisions/0040-uploaded-packages-isolation.md).

Forward: every stored `libraries/<Name>-<maj>.<min>.<patch>/` is hashed (courses.h5p.digest) and
renamed `<Name>-<maj>.<min>.<patch>-<digest>/`; its H5PLibrary row gets the digest. A row whose
folder is missing keeps an empty digest (its files were already gone; nothing can serve them).
Backward: folders are renamed back, unless two copies of one version exist by then (the old
layout cannot hold both): that stops the migration with a message, before anything is renamed.
"""

import os
import re
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

from courses.h5p.digest import folder_digest

OLD_FOLDER = re.compile(r"^(?P<label>[A-Za-z0-9_][A-Za-z0-9_.\-]*-\d+\.\d+\.\d+)$")
NEW_FOLDER = re.compile(r"^(?P<label>[A-Za-z0-9_][A-Za-z0-9_.\-]*-\d+\.\d+\.\d+)-(?P<digest>[0-9a-f]{32})$")


def _libraries_dir() -> Path:
    root = getattr(settings, "H5P_ROOT", None) or Path(settings.MEDIA_ROOT) / "h5p"
    return Path(root) / "libraries"


def _folders(pattern: re.Pattern) -> dict[str, re.Match]:
    store = _libraries_dir()
    if not store.is_dir():
        return {}
    return {entry.name: match for entry in os.scandir(store)
            if entry.is_dir(follow_symlinks=False) and (match := pattern.match(entry.name))}


def _label(row) -> str:
    return f"{row.machine_name}-{row.major}.{row.minor}.{row.patch}"


def hash_folders(apps, schema_editor):
    library = apps.get_model("h5p", "H5PLibrary")
    store = _libraries_dir()
    digests = {}
    for name in _folders(OLD_FOLDER):
        digest = folder_digest(store / name)
        os.rename(store / name, store / f"{name}-{digest}")
        digests[name] = digest
    for row in library.objects.filter(files_hash=""):
        if _label(row) in digests:
            row.files_hash = digests[_label(row)]
            row.save(update_fields=["files_hash"])


def unhash_folders(apps, schema_editor):
    library = apps.get_model("h5p", "H5PLibrary")
    labels = [_label(row) for row in library.objects.all()]
    doubled = sorted({label for label in labels if labels.count(label) > 1})
    if doubled:
        raise RuntimeError("Cannot go back to one folder per library version: several copies of "
                           + ", ".join(doubled) + " are stored. Remove the extra copies first.")
    store = _libraries_dir()
    for name, match in _folders(NEW_FOLDER).items():
        if not (store / match["label"]).exists():
            os.rename(store / name, store / match["label"])
    library.objects.update(files_hash="")


class Migration(migrations.Migration):

    dependencies = [
        ("h5p", "0002_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="h5plibrary",
            name="files_hash",
            field=models.CharField(default="", help_text="Digest of the library's files.", max_length=32),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="h5plibrary",
            options={"ordering": ["machine_name", "major", "minor", "patch", "files_hash"],
                     "verbose_name": "H5P library", "verbose_name_plural": "H5P libraries"},
        ),
        migrations.RemoveConstraint(
            model_name="h5plibrary",
            name="h5p_library_version_once",
        ),
        migrations.AddConstraint(
            model_name="h5plibrary",
            constraint=models.UniqueConstraint(fields=("machine_name", "major", "minor", "patch", "files_hash"),
                                               name="h5p_library_copy_once"),
        ),
        migrations.RunPython(hash_folders, unhash_folders),
    ]
