"""Check an uploaded SCORM zip without extracting it: the platform's archive rules
(backend/archives.py) with SCORM's file-type allow-list, `imsmanifest.xml` at the root, its model
(manifest.py), and every launch file present in the zip.

File types (FILE_EXTENSIONS): what authoring tools export for a browser to play — pages and their
code (html, htm, xhtml, js, mjs, css, json, xml and its schemas xsd/dtd, map), text (txt, md, csv,
vtt, srt), images (incl. svg: scripts are expected here anyway, the frame is sandboxed), fonts,
audio, video, documents a course hands out (pdf, office formats) and 3D models. Refused: anything
a server or a desktop would execute (php, asp, jsp, cgi, py, sh, bat, exe, dll, jar, ...), archives
and files without an extension. Flash files (swf, flv, fla) are left out of the stored package with
a warning: no current browser plays them, and old exports carry them next to their HTML5 version.
"""

from __future__ import annotations

import os
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backend import archives
from backend.archives import ArchiveIndex, ArchiveLimits, MiB, extension

from . import errors as e
from .errors import ScormPackageError
from .manifest import MANIFEST, Manifest, ManifestWarning, parse_manifest

FILE_EXTENSIONS = frozenset({
    "html", "htm", "xhtml", "js", "mjs", "css", "json", "xml", "xsd", "dtd", "map",
    "txt", "md", "csv", "vtt", "webvtt", "srt",
    "png", "jpg", "jpeg", "gif", "bmp", "webp", "avif", "svg", "ico", "tif", "tiff", "cur",
    "woff", "woff2", "ttf", "otf", "eot",
    "mp3", "m4a", "aac", "wav", "ogg", "oga", "opus", "weba", "flac",
    "mp4", "m4v", "webm", "ogv", "mov",
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf",
    "gltf", "glb", "bin",
})
SKIPPED_EXTENSIONS = frozenset({"swf", "flv", "fla"})
_JUNK = frozenset({"__macosx", ".ds_store", "thumbs.db", "desktop.ini"})


def _ignored(parts: list[str]) -> bool:
    # Finder and Explorer droppings (__MACOSX/, .DS_Store, Thumbs.db), and Flash (see above).
    return (any(part.lower() in _JUNK or part.startswith("._") for part in parts)
            or extension(parts[-1]) in SKIPPED_EXTENSIONS)


def _allowed(name: str, parts: list[str]) -> bool:
    return extension(name) in FILE_EXTENSIONS


RULES = archives.ZipRules(
    error=ScormPackageError,
    not_zip_message=lambda: _("The file is not a SCORM package (not a valid ZIP archive)."),
    file_type_message=lambda path: _("The file %(path)s has a type that SCORM packages may not "
                                     "contain.") % {"path": path},
    ignored=_ignored, allowed=_allowed)


def limits() -> ArchiveLimits:
    """Bounds from SCORM_MAX_UPLOAD_MB / SCORM_MAX_UNPACKED_MB / SCORM_MAX_FILES (read at call time)."""
    total = settings.SCORM_MAX_UNPACKED_MB * MiB
    return ArchiveLimits(
        max_upload_bytes=settings.SCORM_MAX_UPLOAD_MB * MiB, max_total_bytes=total,
        max_file_bytes=total, max_files=settings.SCORM_MAX_FILES,
        max_central_directory_bytes=max(4 * MiB, settings.SCORM_MAX_FILES * 1024))


@dataclass(frozen=True)
class ValidatedPackage:
    manifest: Manifest
    files: tuple[str, ...]           # members to store (archive paths)
    size_bytes: int                  # their uncompressed total
    warnings: tuple[ManifestWarning, ...]
    limits: ArchiveLimits


def validate_package(source: str | os.PathLike[str] | IO[bytes], *,
                     limits: ArchiveLimits) -> ValidatedPackage:
    """Everything that can be checked before unpacking. Raises ScormPackageError (400)."""
    with ExitStack() as stack:
        fileobj = (stack.enter_context(open(source, "rb")) if isinstance(source, (str, os.PathLike))
                   else source)
        archive = stack.enter_context(archives.open_zip(fileobj, limits, RULES))
        index = archives.scan(archive, limits, RULES)
        return validate_index(archive, index, limits)


def validate_index(archive: zipfile.ZipFile, index: ArchiveIndex, limits: ArchiveLimits) -> ValidatedPackage:
    manifest_name = _manifest_member(index)
    manifest = parse_manifest(archives.read_bounded(archive, index.files[manifest_name], 8 * MiB, RULES))
    _check_files(manifest, index)
    warnings = list(manifest.warnings)
    skipped = [name for name in index.ignored if extension(name) in SKIPPED_EXTENSIONS]
    if skipped:
        warnings.append(ManifestWarning("flash_skipped", ngettext(
            "%(n)d Flash file (%(path)s) was left out: browsers no longer play Flash.",
            "%(n)d Flash files (such as %(path)s) were left out: browsers no longer play Flash.",
            len(skipped)) % {"n": len(skipped), "path": skipped[0]}, skipped[0]))
    files = tuple(index.files)
    return ValidatedPackage(manifest=manifest, files=files, size_bytes=index.total_bytes,
                            warnings=tuple(warnings), limits=limits)


def _manifest_member(index: ArchiveIndex) -> str:
    at_root = [name for name in index.files if name.lower() == MANIFEST]
    if at_root:
        return at_root[0]
    nested = sorted((name for name in index.files if name.lower().endswith("/" + MANIFEST)),
                    key=lambda name: name.count("/"))
    if nested:
        folder = nested[0].rsplit("/", 1)[0]
        raise ScormPackageError(e.MISSING_MANIFEST, _(
            "imsmanifest.xml must be at the top of the zip, but it is in the folder %(folder)s "
            "(%(path)s). Zip the contents of that folder, not the folder itself, or export the "
            "package again from the authoring tool.") % {"folder": folder, "path": nested[0]}, nested[0])
    raise ScormPackageError(e.MISSING_MANIFEST, _(
        "The zip has no imsmanifest.xml at its top: it is not a SCORM package. Export the course "
        "as SCORM 1.2 or SCORM 2004 from the authoring tool."), MANIFEST)


def _check_files(manifest: Manifest, index: ArchiveIndex) -> None:
    present = set(index.files)
    folded = {name.casefold(): name for name in present}
    for item in manifest.items:
        if item.launch_file is None or item.launch_file in present:
            continue
        hint = folded.get(item.launch_file.casefold())
        if hint:
            message = _("The launch file %(path)s of the item \"%(item)s\" is not in the zip (there is "
                        "%(other)s, which differs in upper and lower case).")
        else:
            message = _("The launch file %(path)s of the item \"%(item)s\" is not in the zip.")
        raise ScormPackageError(e.MISSING_LAUNCH_FILE, message % {
            "path": item.launch_file, "item": item.title, "other": hint}, item.launch_file)
