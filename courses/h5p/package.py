"""Validate an uploaded `.h5p` package, without extracting it and without any network access.

Order: archive safety from the ZIP central directory (archive.py), then h5p.json, content.json,
each library.json and language file (and the digest of each library's bytes, digest.py), then
dependencies, then the H5P core API each library needs, then semantics (warnings only, in a
time-limited child process).

Which library files a content plays (docs/decisions/0040): a library the package brings is always
played from its own bytes (stored once per digest, beside any other copy of the same version); a
library it lacks is taken from the store only when the store holds exactly one copy of that
`major.minor`, else the package is refused naming it. Nothing an upload brings is ever played by
another content that did not bring the same bytes.

pyh5p's `read_package`/`load` hold every member in memory, so they are not called: memory must
not grow with the archive. pyh5p still checks each member (`validate_archive_member`), parses
library and core API versions (`LibraryId`, `CoreApiVersion`, `Dependency`) and validates
semantics (`H5PContent.validate`); nothing here can fetch (no Hub or registry client is built).
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from pyh5p.library import CoreApiVersion, Dependency

from . import archive as arc
from . import errors as e
from .archive import H5PLimits
from .digest import FileHasher, library_digest
from .errors import H5PPackageError
from .semantics import H5PWarning, check_semantics

# 200 characters leave room for "-<version>-<digest>" in a 255-byte folder name.
MACHINE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,199}$")
STORE_FOLDER = re.compile(
    r"^(?P<name>[A-Za-z0-9_][A-Za-z0-9_.\-]*)-(?P<major>\d+)\.(?P<minor>\d+)\.(?P<patch>\d+)"
    r"-(?P<digest>[0-9a-f]{32})$")
LANGUAGE_FILE = re.compile(r"^language/[^/]+\.json$")
DEPENDENCY_KINDS = ("preloadedDependencies", "dynamicDependencies", "editorDependencies")

__all__ = ["H5PLimits", "H5PPackageError", "H5PWarning", "LibraryRef", "ValidatedPackage",
           "validate_package"]


@dataclass(frozen=True)
class LibraryRef:
    machine_name: str
    major: int
    minor: int
    patch: int
    files_hash: str                 # digest of the library's files (digest.py)
    folder_name_in_zip: str | None  # None: taken from the library store, not from this package
    is_new: bool                    # these exact bytes are not in the store yet: storage adds them
    core_api: tuple[int, int] = (1, 0)

    @property
    def label(self) -> str:
        """For people: `H5P.MultiChoice-1.16.4`."""
        return f"{self.machine_name}-{self.major}.{self.minor}.{self.patch}"

    @property
    def store_folder(self) -> str:
        return f"{self.label}-{self.files_hash}"

    @property
    def player_folder(self) -> str:
        """The folder name h5p-standalone asks for (it knows no patch versions)."""
        return f"{self.machine_name}-{self.major}.{self.minor}"


@dataclass(frozen=True)
class ValidatedPackage:
    title: str
    language: str
    main_library: LibraryRef
    libraries: tuple[LibraryRef, ...]   # every library the content needs, plus any the package brings
    embed_types: tuple[str, ...]
    h5p_json: dict[str, Any]
    content_json: dict[str, Any]
    content_files: tuple[str, ...]      # paths relative to content/, content.json excluded
    warnings: tuple[H5PWarning, ...]
    limits: H5PLimits


@dataclass
class _Library:
    ref: LibraryRef
    metadata: dict[str, Any]
    semantics_text: str | None


def validate_package(source: str | os.PathLike[str] | IO[bytes], *, limits: H5PLimits,
                     library_store_dir: Path, player_core_api: tuple[int, int],
                     semantics: bool = True) -> ValidatedPackage:
    """Check an uploaded package; raise H5PPackageError (stable `code`) or return what it holds."""
    with ExitStack() as stack:
        fileobj = (stack.enter_context(open(source, "rb"))
                   if isinstance(source, (str, os.PathLike)) else source)
        archive = stack.enter_context(arc.open_zip(fileobj, limits))
        index = arc.scan(archive, limits)
        return _validate_index(archive, index, limits=limits, store_dir=Path(library_store_dir),
                               player_core_api=tuple(player_core_api), check=semantics)


def _validate_index(archive: zipfile.ZipFile, index: arc.ArchiveIndex, *, limits: H5PLimits,
                    store_dir: Path, player_core_api: tuple[int, ...], check: bool) -> ValidatedPackage:
    warnings: list[H5PWarning] = [
        H5PWarning("ignored_file", _("Ignored file: %(path)s") % {"path": name}, path=name)
        for name in index.ignored
    ]
    if "h5p.json" not in index.files:
        raise H5PPackageError(e.MISSING_H5P_JSON, _("The package has no h5p.json file."), path="h5p.json")
    h5p_json = _read_json(archive, index, "h5p.json", limits, e.INVALID_H5P_JSON)
    _check_h5p_json(h5p_json)
    if "content/content.json" not in index.files:
        raise H5PPackageError(e.MISSING_CONTENT_JSON, _("The package has no content/content.json file."),
                              path="content/content.json")
    content_json = _read_json(archive, index, "content/content.json", limits, e.INVALID_CONTENT_JSON)
    for name in index.files:
        if "/" not in name and name != "h5p.json":
            warnings.append(H5PWarning("ignored_file", _("Ignored file: %(path)s") % {"path": name}, name))

    store = _StoreIndex(store_dir, limits)
    packaged = dict(_read_library(archive, index, folder, limits, store)
                    for folder in sorted(index.library_dirs))
    if len(packaged) != len(index.library_dirs):
        raise H5PPackageError(e.INVALID_LIBRARY, _("The package contains the same library version twice."))
    resolved = _resolve(h5p_json, packaged, store, warnings)
    for lib in resolved.values():
        if lib.ref.core_api > tuple(player_core_api):
            raise H5PPackageError(e.CORE_API_TOO_NEW, _(
                "The library %(lib)s needs H5P core %(need)s; this site plays H5P core %(have)s.")
                % {"lib": lib.ref.label, "need": "{}.{}".format(*lib.ref.core_api),
                   "have": "{}.{}".format(*player_core_api)}, path=lib.ref.folder_name_in_zip)

    main_key = next(_dep_key(d) for d in h5p_json["preloadedDependencies"]
                    if d["machineName"] == h5p_json["mainLibrary"])
    main = resolved[main_key]
    if not main.metadata.get("runnable"):
        raise H5PPackageError(e.INVALID_LIBRARY, _("The main library %(lib)s cannot be played on its own.")
                              % {"lib": main.ref.label})
    content_files = tuple(sorted(n[len("content/"):] for n in index.files
                                 if n.startswith("content/") and n != "content/content.json"))
    warnings += _missing_media(content_json, set(content_files))
    if check and main.semantics_text is not None:  # no semantics.json: nothing to check against
        files: dict[str, str] = {}
        for lib in resolved.values():
            files[f"{lib.ref.player_folder}/library.json"] = json.dumps(lib.metadata)
            if lib.semantics_text is not None:
                files[f"{lib.ref.player_folder}/semantics.json"] = lib.semantics_text
        warnings += check_semantics(
            main={"machineName": main.ref.machine_name, "majorVersion": main.ref.major,
                  "minorVersion": main.ref.minor, "patchVersion": main.ref.patch},
            metadata=h5p_json, content=content_json, files=files,
            timeout=limits.semantics_timeout_seconds)
    libraries = {lib.ref for lib in resolved.values()}
    return ValidatedPackage(
        title=h5p_json["title"], language=h5p_json.get("language") or "und", main_library=main.ref,
        libraries=tuple(sorted(libraries, key=lambda r: (r.machine_name, r.major, r.minor, r.patch))),
        embed_types=tuple(h5p_json["embedTypes"]), h5p_json=h5p_json, content_json=content_json,
        content_files=content_files, warnings=tuple(warnings), limits=limits,
    )


def _read_json(archive: zipfile.ZipFile, index: arc.ArchiveIndex, name: str, limits: H5PLimits,
               code: str) -> Any:
    value = _parse_json(arc.read_bounded(archive, index.files[name], limits.max_json_bytes), name, code)
    if not isinstance(value, dict):
        raise H5PPackageError(code, _("%(path)s must hold a JSON object.") % {"path": name}, path=name)
    return value


def _parse_json(raw: bytes, name: str, code: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise H5PPackageError(code, _("%(path)s is not valid JSON.") % {"path": name}, path=name) from exc


def _version(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise ValueError(value)
    number = int(value)
    if number > 99_999:
        raise ValueError(value)
    return number


def _dep_key(dep: dict[str, Any]) -> tuple[str, int, int]:
    return dep["machineName"], _version(dep["majorVersion"]), _version(dep["minorVersion"])


def _valid_dependency(dep: Any) -> bool:
    if not isinstance(dep, dict) or not isinstance(dep.get("machineName"), str):
        return False
    try:
        _dep_key(dep)
    except (KeyError, ValueError):
        return False
    return bool(MACHINE_NAME.match(dep["machineName"]))


def _check_h5p_json(data: dict[str, Any]) -> None:
    def bad(message: str) -> H5PPackageError:
        return H5PPackageError(e.INVALID_H5P_JSON, message, path="h5p.json")

    if not isinstance(data.get("title"), str) or not data["title"].strip():
        raise bad(_("h5p.json has no title."))
    if not isinstance(data.get("mainLibrary"), str) or not MACHINE_NAME.match(data["mainLibrary"]):
        raise bad(_("h5p.json has no valid mainLibrary."))
    if not isinstance(data.get("language", "und"), str):
        raise bad(_("h5p.json has an invalid language."))
    embed = data.get("embedTypes")
    if not isinstance(embed, list) or not embed or any(t not in ("div", "iframe") for t in embed):
        raise bad(_("h5p.json must list embedTypes (div, iframe)."))
    for kind in ("preloadedDependencies", "dynamicDependencies"):
        deps = data.get(kind, [])
        if not isinstance(deps, list) or not all(_valid_dependency(d) for d in deps):
            raise bad(_("h5p.json has an invalid %(field)s list.") % {"field": kind})
    if not any(d["machineName"] == data["mainLibrary"] for d in data.get("preloadedDependencies", [])):
        raise bad(_("h5p.json does not list its main library among its preloadedDependencies."))


class _StoreIndex:
    """Library folders already stored: `<store_dir>/<Name>-<major>.<minor>.<patch>-<digest>/`."""

    def __init__(self, store_dir: Path, limits: H5PLimits) -> None:
        self.dir = store_dir
        self.limits = limits
        self.folders: set[str] = set()
        self.copies: dict[tuple[str, int, int], list[tuple[int, str]]] = {}
        if store_dir.is_dir():
            for entry in os.scandir(store_dir):
                match = STORE_FOLDER.match(entry.name)
                if match and entry.is_dir(follow_symlinks=False):
                    self.folders.add(entry.name)
                    key = (match["name"], int(match["major"]), int(match["minor"]))
                    self.copies.setdefault(key, []).append((int(match["patch"]), match["digest"]))

    def only_copy(self, key: tuple[str, int, int]) -> _Library | None:
        """The stored copy of `<name> <major>.<minor>` if there is exactly one, else None."""
        copies = self.copies.get(key, [])
        if len(copies) != 1:
            return None
        patch, digest = copies[0]
        ref = LibraryRef(*key, patch=patch, files_hash=digest, folder_name_in_zip=None, is_new=False)
        folder = self.dir / ref.store_folder
        metadata = json.loads((folder / "library.json").read_text(encoding="utf-8"))
        semantics = folder / "semantics.json"
        text = semantics.read_text(encoding="utf-8") if semantics.is_file() else None
        core = CoreApiVersion.parse(metadata.get("coreApi", {"majorVersion": 1, "minorVersion": 0}))
        return _Library(replace(ref, core_api=(core.major, core.minor)), metadata, text)

    def count(self, key: tuple[str, int, int]) -> int:
        return len(self.copies.get(key, []))


def _read_library(archive: zipfile.ZipFile, index: arc.ArchiveIndex, folder: str, limits: H5PLimits,
                  store: _StoreIndex) -> tuple[tuple[str, int, int], _Library]:
    def bad(message: str, path: str | None = None) -> H5PPackageError:
        return H5PPackageError(e.INVALID_LIBRARY, message, path=path or folder)

    name = f"{folder}/library.json"
    if name not in index.files:
        raise bad(_("The folder %(folder)s has no library.json file.") % {"folder": folder}, name)
    meta = _read_json(archive, index, name, limits, e.INVALID_LIBRARY)
    try:
        key = _dep_key(meta)
        patch = _version(meta["patchVersion"])
    except (KeyError, ValueError) as exc:
        raise bad(_("%(path)s has no valid version.") % {"path": name}, name) from exc
    if not isinstance(meta["machineName"], str) or not MACHINE_NAME.match(meta["machineName"]):
        raise bad(_("%(path)s has no valid machineName.") % {"path": name}, name)
    if not isinstance(meta.get("title"), str) or meta.get("runnable") not in (0, 1, True, False):
        raise bad(_("%(path)s needs a title and a runnable flag.") % {"path": name}, name)
    if folder not in (meta["machineName"], f"{key[0]}-{key[1]}.{key[2]}"):
        raise bad(_("The folder %(folder)s does not match its library %(lib)s.")
                  % {"folder": folder, "lib": f"{key[0]}-{key[1]}.{key[2]}"})
    for kind in ("preloadedJs", "preloadedCss"):
        entries = meta.get(kind, [])
        if not isinstance(entries, list):
            raise bad(_("%(path)s has an invalid %(field)s list.") % {"path": name, "field": kind}, name)
        for entry in entries:
            path = entry.get("path") if isinstance(entry, dict) else None
            if not isinstance(path, str) or f"{folder}/{path}" not in index.files:
                raise bad(_("The library %(folder)s lists a file it does not contain: %(path)s")
                          % {"folder": folder, "path": path}, name)
    for kind in DEPENDENCY_KINDS:
        deps = meta.get(kind, [])
        if not isinstance(deps, list) or not all(_valid_dependency(d) for d in deps):
            raise bad(_("%(path)s has an invalid %(field)s list.") % {"path": name, "field": kind}, name)
    try:
        core = CoreApiVersion.parse(meta.get("coreApi", {"majorVersion": 1, "minorVersion": 0}))
    except (TypeError, ValueError) as exc:
        raise bad(_("%(path)s has an invalid coreApi.") % {"path": name}, name) from exc
    semantics_name = f"{folder}/semantics.json"
    semantics_text = None
    if semantics_name in index.files:
        raw = arc.read_bounded(archive, index.files[semantics_name], limits.max_json_bytes)
        semantics_text = raw.decode("utf-8-sig", errors="replace")
    ref = LibraryRef(*key, patch=patch, files_hash=_library_files_digest(archive, index, folder, limits),
                     folder_name_in_zip=folder, is_new=True, core_api=(core.major, core.minor))
    return key, _Library(replace(ref, is_new=ref.store_folder not in store.folders), meta, semantics_text)


def _library_files_digest(archive: zipfile.ZipFile, index: arc.ArchiveIndex, folder: str,
                          limits: H5PLimits) -> str:
    """Hash every file of a packaged library (streamed); its language files must be JSON, as
    H5P core and Lumi's validator require (a broken one would break the player in that language)."""
    files = []
    for name in sorted(index.under(folder)):
        relative = name[len(folder) + 1:]
        hasher = FileHasher()
        if LANGUAGE_FILE.match(relative):
            raw = arc.read_bounded(archive, index.files[name], limits.max_json_bytes)
            _parse_json(raw, name, e.INVALID_LIBRARY)
            hasher.write(raw)
        else:
            arc.copy_member(archive, index.files[name], hasher, limits.max_file_bytes)
        files.append((relative, hasher.digest()))
    return library_digest(files)


def _resolve(h5p_json: dict[str, Any], packaged: dict[tuple[str, int, int], _Library],
             store: _StoreIndex, warnings: list[H5PWarning]) -> dict[tuple[str, int, int], _Library]:
    """Every library reachable from h5p.json and from the packaged libraries. The package's own
    copy always wins; one it lacks comes from the store only if the store has exactly one copy."""
    queue: list[tuple[dict[str, Any], str, str]] = [
        (dep, kind, "h5p.json") for kind in ("preloadedDependencies", "dynamicDependencies")
        for dep in h5p_json.get(kind, [])
    ]
    queue += [({"machineName": k[0], "majorVersion": k[1], "minorVersion": k[2]}, "preloadedDependencies",
               lib.ref.folder_name_in_zip or "") for k, lib in packaged.items()]
    resolved: dict[tuple[str, int, int], _Library] = {}
    while queue:
        dep, kind, requester = queue.pop(0)
        key = _dep_key(dep)
        if key in resolved:
            continue
        chosen = packaged.get(key) or _from_store(key, dep, kind, requester, store, warnings)
        if chosen is None:
            continue
        resolved[key] = chosen
        for next_kind in DEPENDENCY_KINDS:
            for next_dep in chosen.metadata.get(next_kind, []) or []:
                queue.append((next_dep, next_kind, chosen.ref.player_folder))
    return resolved


def _from_store(key: tuple[str, int, int], dep: dict[str, Any], kind: str, requester: str,
                store: _StoreIndex, warnings: list[H5PWarning]) -> _Library | None:
    label = Dependency.from_json(dep)
    text = f"{label.machine_name} {label.major}.{label.minor}"
    if kind == "editorDependencies":  # the editor is not used here; exports often omit them
        warnings.append(H5PWarning("missing_editor_library", _(
            "The editor library %(lib)s is missing (not needed to play).") % {"lib": text}))
        return None
    found = store.only_copy(key)
    if found is not None:
        warnings.append(H5PWarning("library_from_site", _(
            "The library %(lib)s is not in the package: the copy already on this site "
            "(%(version)s) is used.") % {"lib": text, "version": found.ref.label}))
        return found
    if store.count(key) > 1:
        raise H5PPackageError(e.AMBIGUOUS_LIBRARY, _(
            "The library %(lib)s (needed by %(by)s) is not in the package, and this site has "
            "%(n)d different copies of it: export the package with its libraries.")
            % {"lib": text, "by": requester, "n": store.count(key)}, path=requester or None)
    raise H5PPackageError(e.MISSING_LIBRARY, _(
        "The library %(lib)s (needed by %(by)s) is neither in the package nor on this site.")
        % {"lib": text, "by": requester}, path=requester or None)


def _missing_media(content: Any, content_files: set[str]) -> list[H5PWarning]:
    missing: list[H5PWarning] = []
    stack = [content]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            path = value.get("path")
            if isinstance(path, str) and "://" not in path:
                local = path.split("#", 1)[0]
                if local and local not in content_files:
                    missing.append(H5PWarning("missing_media", _(
                        "The content refers to a file the package does not contain: %(path)s")
                        % {"path": local}, path=local))
            stack.extend(v for k, v in value.items() if k != "path")
        elif isinstance(value, list):
            stack.extend(value)
    return missing
