"""The one error an H5P upload can fail with: a stable code for machines, a translated message."""

from __future__ import annotations

from backend.errors import DomainError

# Stable codes (clients and tests rely on them; add, never rename).
NOT_ZIP = "not_zip"
TOO_LARGE = "too_large"
TOO_MANY_FILES = "too_many_files"
COMPRESSION_RATIO = "compression_ratio"
PATH_TRAVERSAL = "path_traversal"
ABSOLUTE_PATH = "absolute_path"
UNSAFE_PATH = "unsafe_path"
SYMLINK = "symlink"
DUPLICATE_ENTRY = "duplicate_entry"
FILE_TYPE = "file_type"
MISSING_H5P_JSON = "missing_h5p_json"
INVALID_H5P_JSON = "invalid_h5p_json"
MISSING_CONTENT_JSON = "missing_content_json"
INVALID_CONTENT_JSON = "invalid_content_json"
INVALID_LIBRARY = "invalid_library"
MISSING_LIBRARY = "missing_library"
AMBIGUOUS_LIBRARY = "ambiguous_library"  # not in the package, and the site has several copies
CORE_API_TOO_NEW = "core_api_too_new"
UNSAFE_ARCHIVE = "unsafe_archive"  # pyh5p's own member check refused something ours let through


class H5PPackageError(DomainError):
    """An uploaded `.h5p` package was refused. `path` names the archive member at fault, if any."""

    status = 400
    code = "invalid_h5p"

    def __init__(self, code: str, message: str, path: str | None = None) -> None:
        super().__init__(message, code=code, fields={"file": [message]})
        self.path = path

    def __repr__(self) -> str:
        return f"H5PPackageError({self.code!r}, {self.message!r}, path={self.path!r})"
