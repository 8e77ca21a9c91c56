"""Unpack a validated SCORM package into its own folder, and find files in it safely.

Layout under `scorm_root()` (SCORM_ROOT, default MEDIA_ROOT/scorm, read at call time):

    <package_key>/imsmanifest.xml, index.html, ...   one folder per upload, never rewritten
    .staging/<random>/                                work area on the same filesystem

Members are streamed into `.staging` (fixed-size chunks, a byte budget, files opened with "x":
nothing followed or overwritten), then the folder is moved into place with one `os.rename`, so a
failed upload leaves nothing behind. Each upload has a fresh key: a re-upload writes a new
folder, the database switches to it in one transaction, and the old folder is removed after
that commits (services.py).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from backend import archives

from . import errors as e
from .errors import ScormPackageError
from .package import RULES, ValidatedPackage

PACKAGE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,99}$")


def scorm_root() -> Path:
    configured = getattr(settings, "SCORM_ROOT", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "scorm"


def package_dir(package_key: str, root: Path | None = None) -> Path:
    if not PACKAGE_KEY.match(package_key or ""):
        raise ValueError(f"invalid package key: {package_key!r}")
    return Path(root or scorm_root()) / package_key


def store_package(source: str | os.PathLike[str] | IO[bytes], validated: ValidatedPackage, *,
                  package_key: str, root: Path | None = None) -> Path:
    """Unpack `source` (the file that produced `validated`) into `<root>/<package_key>/`.
    Raises ScormPackageError; on any failure nothing is left."""
    root = Path(root or scorm_root())
    target = package_dir(package_key, root)
    (root / ".staging").mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="upload-", dir=root / ".staging"))
    try:
        with ExitStack() as stack:
            fileobj = (stack.enter_context(open(source, "rb"))
                       if isinstance(source, (str, os.PathLike)) else source)
            archive = stack.enter_context(archives.open_zip(fileobj, validated.limits, RULES))
            index = archives.scan(archive, validated.limits, RULES)
            if set(index.files) != set(validated.files):
                raise ScormPackageError(e.UNSAFE_ARCHIVE, _("The package changed after it was checked."))
            left = validated.limits.max_total_bytes
            content = staging / "package"
            content.mkdir()
            for name in validated.files:
                path = content / name
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "xb") as out:
                    left -= archives.copy_member(archive, index.files[name], out,
                                                 validated.limits.max_file_bytes, RULES)
                if left < 0:
                    raise ScormPackageError(e.TOO_LARGE, _("The package unpacks to more than its limit."))
        os.rename(content, target)  # fails if the key exists: a folder is never rewritten
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove_package(package_key: str, root: Path | None = None) -> None:
    """Delete one package folder (moved aside first, so a half-deleted folder is never served)."""
    root = Path(root or scorm_root())
    target = package_dir(package_key, root)
    if target.exists():
        (root / ".staging").mkdir(parents=True, exist_ok=True)
        parking = Path(tempfile.mkdtemp(prefix="remove-", dir=root / ".staging"))
        os.rename(target, parking / "package")
        shutil.rmtree(parking, ignore_errors=True)


def package_file_path(package_key: str, relative_path: str) -> Path | None:
    """The stored regular file `relative_path` (URL-decoded, POSIX) of a package, or None:
    never outside the package's folder, never hidden, never through a link."""
    if not PACKAGE_KEY.match(package_key or "") or not relative_path:
        return None
    if archives.path_problem(relative_path) or any(p.startswith(".") for p in relative_path.split("/")):
        return None
    folder = package_dir(package_key)
    candidate = folder / relative_path
    if candidate.is_symlink() or not candidate.is_file():
        return None
    if not os.path.realpath(candidate).startswith(os.path.realpath(folder) + os.sep):
        return None
    return candidate
