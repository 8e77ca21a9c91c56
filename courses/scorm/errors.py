"""The one error a SCORM upload can fail with: a stable code for machines, a translated message
naming the file or href at fault, always on the `file` field, status 400."""

from __future__ import annotations

# Stable codes (clients and tests rely on them; add, never rename). The archive's own are the
# platform's (backend/archives.py), the same for every package kind.
from backend.archives import (  # noqa: F401  (re-exported)
    ABSOLUTE_PATH,
    COMPRESSION_RATIO,
    DUPLICATE_ENTRY,
    FILE_TYPE,
    NOT_ZIP,
    PATH_TRAVERSAL,
    SYMLINK,
    TOO_LARGE,
    TOO_MANY_FILES,
    UNSAFE_ARCHIVE,
    UNSAFE_PATH,
)
from backend.errors import DomainError

MISSING_MANIFEST = "missing_manifest"          # no imsmanifest.xml at the root of the zip
UNSAFE_MANIFEST = "unsafe_manifest"            # a DTD, entity or external reference (XXE, billion laughs)
INVALID_MANIFEST = "invalid_manifest"          # not well-formed, not an IMS manifest, broken references
UNSUPPORTED_VERSION = "unsupported_version"    # a schemaversion that is neither 1.2 nor 2004
NO_LAUNCHABLE_ITEM = "no_launchable_item"      # no item of the organisation launches anything
MISSING_LAUNCH_FILE = "missing_launch_file"    # an item's launch file is not in the zip
HREF_OUTSIDE_PACKAGE = "href_outside_package"  # ../ above the package root, or an absolute path
EXTERNAL_HREF = "external_href"                # http(s)://, //host, javascript:, ...


class ScormPackageError(DomainError):
    """An uploaded SCORM package was refused. `path` names the archive member or href at fault."""

    status = 400
    code = "invalid_scorm"

    def __init__(self, code: str, message: str, path: str | None = None) -> None:
        super().__init__(message, code=code, fields={"file": [message]})
        self.path = path

    def __repr__(self) -> str:
        return f"ScormPackageError({self.code!r}, {self.message!r}, path={self.path!r})"
