"""Migration 0003: existing library folders are hashed and renamed, rows get their digest, and it
goes back (unless two copies of one version exist by then)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from courses.h5p import config
from courses.h5p.digest import folder_digest
from courses.h5p.fixture_library import LIBRARY_DIR

BEFORE = [("h5p", "0002_verbose_names")]
AFTER = [("h5p", "0003_library_copies_by_files_hash")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_folder(name: str):
    folder = config.library_store_dir() / name
    folder.mkdir(parents=True)
    for source in LIBRARY_DIR.iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    return folder


@pytest.mark.django_db(transaction=True)
def test_folders_are_hashed_forward_and_renamed_back():
    apps = migrate(BEFORE)
    library = apps.get_model("h5p", "H5PLibrary")
    library.objects.create(machine_name="H5P.TtdnQuestion", major=1, minor=0, patch=1)
    library.objects.create(machine_name="H5P.Gone", major=2, minor=3, patch=4)  # its folder is missing
    digest = folder_digest(old_folder("H5P.TtdnQuestion-1.0.1"))
    old_folder("H5P.Orphan-1.0.0")  # no row: renamed all the same

    apps = migrate(AFTER)
    library = apps.get_model("h5p", "H5PLibrary")
    assert library.objects.get(machine_name="H5P.TtdnQuestion").files_hash == digest
    assert library.objects.get(machine_name="H5P.Gone").files_hash == ""
    names = sorted(p.name for p in config.library_store_dir().iterdir())
    assert names == [f"H5P.Orphan-1.0.0-{digest}", f"H5P.TtdnQuestion-1.0.1-{digest}"]

    migrate(BEFORE)
    assert sorted(p.name for p in config.library_store_dir().iterdir()) == [
        "H5P.Orphan-1.0.0", "H5P.TtdnQuestion-1.0.1"]
    migrate(AFTER)  # leave the database as the other tests expect it


@pytest.mark.django_db(transaction=True)
def test_going_back_refuses_when_two_copies_of_a_version_exist():
    apps = migrate(AFTER)
    library = apps.get_model("h5p", "H5PLibrary")
    for digest in ("a" * 32, "b" * 32):
        library.objects.create(machine_name="H5P.TtdnQuestion", major=1, minor=0, patch=0, files_hash=digest)
        old_folder(f"H5P.TtdnQuestion-1.0.0-{digest}")
    with pytest.raises(RuntimeError, match=r"H5P\.TtdnQuestion-1\.0\.0"):
        migrate(BEFORE)
    assert sorted(p.name for p in config.library_store_dir().iterdir()) == [
        f"H5P.TtdnQuestion-1.0.0-{'a' * 32}", f"H5P.TtdnQuestion-1.0.0-{'b' * 32}"]
    migrate(AFTER)
