"""The one error an H5P upload can fail with: a stable code for machines, a translated message."""

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

MISSING_H5P_JSON = "missing_h5p_json"
INVALID_H5P_JSON = "invalid_h5p_json"
MISSING_CONTENT_JSON = "missing_content_json"
INVALID_CONTENT_JSON = "invalid_content_json"
INVALID_LIBRARY = "invalid_library"
MISSING_LIBRARY = "missing_library"
AMBIGUOUS_LIBRARY = "ambiguous_library"  # not in the package, and the site has several copies
CORE_API_TOO_NEW = "core_api_too_new"


class H5PPackageError(DomainError):
    """An uploaded `.h5p` package was refused. `path` names the archive member at fault, if any."""

    status = 400
    code = "invalid_h5p"

    def __init__(self, code: str, message: str, path: str | None = None) -> None:
        super().__init__(message, code=code, fields={"file": [message]})
        self.path = path

    def __repr__(self) -> str:
        return f"H5PPackageError({self.code!r}, {self.message!r}, path={self.path!r})"
