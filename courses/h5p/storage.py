"""Unpack a validated package into the library store and a per-lesson content folder.

Layout under `root` (e.g. MEDIA_ROOT/h5p):

    libraries/<MachineName>-<major>.<minor>.<patch>-<digest>/...   one folder per distinct bytes
    content/<content_key>/h5p.json, content.json, images/...          one per uploaded content
    .staging/<random>/                                                work area on the same filesystem

A library folder is named by the digest of its files (digest.py): identical bytes are stored once
and shared; other bytes of the same version go into another folder beside it, never over what
other content plays. While unpacking, each library is hashed again and must match the digest the
validation computed. A folder is never rewritten, and a racing upload that stores the same bytes
first wins (ours is dropped: it is the same).

Everything is first streamed into `.staging` (fixed-size chunks, byte budget), then moved into
place with `os.rename`, so a failed upload leaves nothing behind. Replacing an existing
`content_key` swaps folders by two renames; the window without a folder is microseconds. For a
replacement that is atomic with the database, give each upload a fresh key and switch the
lesson's key in the same transaction (then `remove_content` the old).

The player (h5p-standalone) asks for `<librariesPath>/<MachineName>-<major>.<minor>/<file>`.
Which stored folder that is belongs to the content (its exact library set, chosen at upload and
kept in the database); `library_folder` and `stored_file` then find the file inside it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from . import archive as arc
from . import errors as e
from .digest import FileHasher, library_digest
from .errors import H5PPackageError
from .package import STORE_FOLDER, ValidatedPackage

CONTENT_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,99}$")
PLAYER_FOLDER = re.compile(r"^(?P<name>[A-Za-z0-9_][A-Za-z0-9_.\-]*)-(?P<major>\d+)\.(?P<minor>\d+)$")


@dataclass(frozen=True)
class StoredPackage:
    content_dir: Path
    added_libraries: tuple[str, ...]    # store folders this call created
    reused_libraries: tuple[str, ...]   # store folders that were already there


def libraries_dir(root: Path) -> Path:
    return Path(root) / "libraries"


def content_dir(root: Path, content_key: str) -> Path:
    if not CONTENT_KEY.match(content_key):
        raise ValueError(f"invalid content key: {content_key!r}")
    return Path(root) / "content" / content_key


def store_package(source: str | os.PathLike[str] | IO[bytes], validated: ValidatedPackage, *,
                  root: Path, content_key: str) -> StoredPackage:
    """Unpack `source` (the same file that produced `validated`). Raises H5PPackageError."""
    root = Path(root)
    target = content_dir(root, content_key)
    for folder in (libraries_dir(root), root / "content", root / ".staging"):
        folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=root / ".staging"))
    try:
        with ExitStack() as stack:
            fileobj = (stack.enter_context(open(source, "rb"))
                       if isinstance(source, (str, os.PathLike)) else source)
            archive = stack.enter_context(arc.open_zip(fileobj, validated.limits))
            index = arc.scan(archive, validated.limits)
            budget = _Budget(validated.limits.max_total_bytes)
            staged_libs = _stage_libraries(archive, index, validated, staging / "libraries", budget,
                                           store=libraries_dir(root))
            _stage_content(archive, index, validated, staging / "content", budget)
        return _commit(root, staging, staged_libs, target, validated)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


class _Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise H5PPackageError(e.TOO_LARGE, _("The package unpacks to more than its limit."))


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: _Budget,
             max_bytes: int) -> bytes:
    """Write one member to `target`; returns the SHA-256 of what was written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as out:  # "x": never follow or overwrite anything already there
        hasher = FileHasher(out)
        budget.spend(arc.copy_member(archive, info, hasher, max_bytes))
    return hasher.digest()


def _stage_libraries(archive: zipfile.ZipFile, index: arc.ArchiveIndex, validated: ValidatedPackage,
                     staging: Path, budget: _Budget, *, store: Path) -> list[str]:
    staged = []
    for ref in validated.libraries:
        if ref.folder_name_in_zip is None or (store / ref.store_folder).exists():
            continue  # taken from the store, or these bytes are stored already (maybe meanwhile)
        prefix = ref.folder_name_in_zip + "/"
        files = [(name[len(prefix):], _extract(archive, index.files[name],
                                                staging / ref.store_folder / name[len(prefix):], budget,
                                                validated.limits.max_file_bytes))
                 for name in index.under(ref.folder_name_in_zip)]
        if library_digest(files) != ref.files_hash:
            raise H5PPackageError(e.UNSAFE_ARCHIVE, _("The package changed after it was checked."),
                                  ref.folder_name_in_zip)
        staged.append(ref.store_folder)
    return staged


def _stage_content(archive: zipfile.ZipFile, index: arc.ArchiveIndex, validated: ValidatedPackage,
                   staging: Path, budget: _Budget) -> None:
    staging.mkdir(parents=True)
    for relative in ("content.json", *validated.content_files):
        name = f"content/{relative}"
        if name not in index.files:
            raise H5PPackageError(e.UNSAFE_ARCHIVE, _("The package changed after it was checked."), name)
        _extract(archive, index.files[name], staging / relative, budget, validated.limits.max_file_bytes)
    # The player reads h5p.json next to content.json (h5pJsonPath = contentJsonPath = this folder).
    with open(staging / "h5p.json", "x", encoding="utf-8") as out:
        json.dump(validated.h5p_json, out, ensure_ascii=False)


def _commit(root: Path, staging: Path, staged_libs: list[str], target: Path,
            validated: ValidatedPackage) -> StoredPackage:
    added: list[str] = []
    try:
        for folder in staged_libs:
            try:
                os.rename(staging / "libraries" / folder, libraries_dir(root) / folder)
            except OSError:
                if not (libraries_dir(root) / folder / "library.json").is_file():
                    raise
                continue  # a concurrent upload stored the same bytes: use theirs
            added.append(folder)
        _swap_in(staging / "content", target, staging / "previous")
    except BaseException:
        for folder in added:
            shutil.rmtree(libraries_dir(root) / folder, ignore_errors=True)
        raise
    reused = tuple(ref.store_folder for ref in validated.libraries if ref.store_folder not in added)
    return StoredPackage(content_dir=target, added_libraries=tuple(added), reused_libraries=reused)


def _swap_in(new: Path, target: Path, parking: Path) -> None:
    if not target.exists():
        os.rename(new, target)
        return
    os.rename(target, parking)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(parking, target)
        raise
    shutil.rmtree(parking, ignore_errors=True)


def remove_content(root: Path, content_key: str) -> None:
    """Delete one content folder (libraries stay: other content may use them)."""
    target = content_dir(root, content_key)
    if target.exists():
        parking = Path(tempfile.mkdtemp(prefix="remove-", dir=Path(root) / ".staging"))
        os.rename(target, parking / "content")
        shutil.rmtree(parking, ignore_errors=True)


def parse_player_folder(name: str) -> tuple[str, int, int] | None:
    """(machine name, major, minor) of the player's `<Name>-<major>.<minor>`, or None."""
    match = PLAYER_FOLDER.match(name)
    return (match["name"], int(match["major"]), int(match["minor"])) if match else None


def library_folder(root: Path, store_folder: str) -> Path | None:
    """The stored folder of one library copy, or None if the name is not one of ours."""
    if not STORE_FOLDER.match(store_folder):
        return None
    folder = libraries_dir(root) / store_folder
    return folder if folder.is_dir() and not folder.is_symlink() else None


def stored_file(folder: Path, relative: str) -> Path | None:
    """A regular file under `folder`: never outside it, never hidden, never through a link."""
    if arc.path_problem(relative) or any(p.startswith(".") for p in relative.split("/")):
        return None
    candidate = folder / relative
    if candidate.is_symlink() or not candidate.is_file():
        return None
    if not os.path.realpath(candidate).startswith(os.path.realpath(folder) + os.sep):
        return None
    return candidate
