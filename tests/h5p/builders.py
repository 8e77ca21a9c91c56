"""Small `.h5p` packages built in code: a good one from the project's own content type, and one
malicious or broken archive per rejection rule. Nothing is downloaded."""

from __future__ import annotations

import io
import json
import os
import warnings
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from courses.h5p.fixture_library import FOLDER, h5p_json, library_files, question_content

Files = dict[str, bytes]


def good_files(question: str = "Hà Nội là thủ đô của Việt Nam?", *, patch: int = 0,
               core_api: tuple[int, int] = (1, 24), **library_overrides: Any) -> Files:
    """Archive path -> bytes of a valid package; edit the dict to break it."""
    files = library_files()
    library = json.loads(files[f"{FOLDER}/library.json"])
    library.update(patchVersion=patch, coreApi={"majorVersion": core_api[0], "minorVersion": core_api[1]},
                   **library_overrides)
    files[f"{FOLDER}/library.json"] = dumps(library)
    files["h5p.json"] = dumps(h5p_json("Câu hỏi thử"))
    files["content/content.json"] = dumps(question_content(question))
    return files


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def to_zip(files: Files | Iterable[tuple[str | zipfile.ZipInfo, bytes]],
           *, streamed: dict[str, Callable[[Any], None]] | None = None) -> bytes:
    """Zip entries in order. `streamed` members are written chunk by chunk by a callback."""
    buffer = io.BytesIO()
    items = files.items() if isinstance(files, dict) else files
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are wanted in one test
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in items:
                archive.writestr(name, data)
            for name, write in (streamed or {}).items():
                with archive.open(name, "w", force_zip64=True) as member:
                    write(member)
    return buffer.getvalue()


def good_package(**kwargs: Any) -> bytes:
    return to_zip(good_files(**kwargs))


def _zeros(total: int) -> Callable[[Any], None]:
    def write(member: Any) -> None:
        chunk = b"\0" * (1024 * 1024)
        left = total
        while left > 0:
            member.write(chunk[:left])
            left -= len(chunk)
    return write


def _info(name: str, mode: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    if mode is not None:
        info.create_system = 3  # Unix
        info.external_attr = mode << 16
    return info


def _without(*names: str) -> Files:
    files = good_files()
    for name in names:
        del files[name]
    return files


def _with(name: str, data: bytes) -> Files:
    return {**good_files(), name: data}


def _h5p(**changes: Any) -> Files:
    meta = h5p_json("Câu hỏi thử")
    meta.update(changes)
    return {**good_files(), "h5p.json": dumps(meta)}


def _library(**changes: Any) -> Files:
    files = good_files()
    meta = json.loads(files[f"{FOLDER}/library.json"])
    meta.update(changes)
    files[f"{FOLDER}/library.json"] = dumps(meta)
    return files


MISSING_DEP = {"machineName": "H5P.NotHere", "majorVersion": 1, "minorVersion": 0}

# code -> builder of a package that must be refused with that code (default limits).
MALICIOUS: dict[str, Callable[[], bytes]] = {
    "not_zip": lambda: b"This is not a zip file at all, just text." * 10,
    "not_zip_truncated": lambda: good_package()[:-30],
    "path_traversal": lambda: to_zip([*good_files().items(), ("content/../../evil.json", b"{}")]),
    "path_traversal_top": lambda: to_zip([*good_files().items(), ("../evil.json", b"{}")]),
    "absolute_path": lambda: to_zip([*good_files().items(), ("/etc/passwd.txt", b"root")]),
    "absolute_path_windows": lambda: to_zip([*good_files().items(), ("C:/evil.txt", b"x")]),
    "symlink": lambda: to_zip([*good_files().items(),
                               (_info("content/link.json", 0o120777), b"/etc/passwd")]),
    "duplicate_entry": lambda: to_zip([*good_files().items(), ("content/content.json", b"{}")]),
    "duplicate_entry_case": lambda: to_zip([*good_files().items(), ("Content/content.json", b"{}")]),
    "compression_ratio": lambda: to_zip(good_files(),
                                        streamed={"content/bomb.txt": _zeros(20 * 1024 * 1024)}),
    "compression_ratio_total": lambda: to_zip(
        [*good_files().items(), *((f"content/pad{i}.txt", b"\0" * 200_000) for i in range(30))]),
    "file_type_php": lambda: to_zip({**good_files(), "content/shell.php": b"<?php system($_GET['c']);"}),
    "file_type_js_in_content": lambda: to_zip({**good_files(), "content/evil.js": b"alert(1)"}),
    "file_type_svg_in_content": lambda: to_zip({**good_files(),
                                                "content/x.svg": b"<svg onload='alert(1)'/>"}),
    "file_type_no_extension": lambda: to_zip({**good_files(), f"{FOLDER}/Makefile": b"all:"}),
    "missing_h5p_json": lambda: to_zip(_without("h5p.json")),
    "invalid_h5p_json": lambda: to_zip(_with("h5p.json", b"{not json")),
    "invalid_h5p_json_array": lambda: to_zip(_with("h5p.json", b"[]")),
    "invalid_h5p_json_no_main": lambda: to_zip(_h5p(mainLibrary=None)),
    "invalid_h5p_json_main_not_listed": lambda: to_zip(_h5p(preloadedDependencies=[])),
    "invalid_h5p_json_embed": lambda: to_zip(_h5p(embedTypes=["script"])),
    "missing_content_json": lambda: to_zip(_without("content/content.json")),
    "invalid_content_json": lambda: to_zip(_with("content/content.json", b"\xff\xfe not utf8")),
    "invalid_content_json_list": lambda: to_zip(_with("content/content.json", b"[1, 2]")),
    "missing_library": lambda: to_zip(_h5p(preloadedDependencies=[
        {"machineName": "H5P.TtdnQuestion", "majorVersion": 1, "minorVersion": 0}, MISSING_DEP])),
    "missing_library_nested": lambda: to_zip(_library(preloadedDependencies=[MISSING_DEP])),
    "missing_library_dynamic": lambda: to_zip(_library(dynamicDependencies=[MISSING_DEP])),
    "missing_main_library": lambda: to_zip({k: v for k, v in good_files().items()
                                           if not k.startswith(FOLDER)}),
    "core_api_too_new": lambda: good_package(core_api=(9, 9)),
    "invalid_library_no_library_json": lambda: to_zip(_without(f"{FOLDER}/library.json")),
    "invalid_library_missing_js": lambda: to_zip(_without(f"{FOLDER}/question.js")),
    "invalid_library_folder_name": lambda: to_zip(
        {k.replace(FOLDER, "H5P.Other-2.0"): v for k, v in good_files().items()}),
    "invalid_library_language_json": lambda: to_zip(_with(f"{FOLDER}/language/vi.json", b'{"semantics": [')),
}


def expected_code(case: str) -> str:
    """The stable error code a MALICIOUS case must produce."""
    special = {"not_zip_truncated": "not_zip", "missing_main_library": "missing_library"}
    if case in special:
        return special[case]
    for code in ("not_zip", "path_traversal", "absolute_path", "symlink", "duplicate_entry",
                 "compression_ratio", "file_type", "missing_h5p_json", "invalid_h5p_json",
                 "missing_content_json", "invalid_content_json", "missing_library",
                 "core_api_too_new", "invalid_library"):
        if case == code or case.startswith(code + "_"):
            return code
    raise KeyError(case)


def big_package(path: os.PathLike[str] | str, *, media_mb: int, libraries: int = 30) -> None:
    """A realistic large package on disk: `libraries` small libraries the main one depends on,
    and `media_mb` MB of incompressible media streamed in 1 MB pieces (never all in memory)."""
    files = good_files()
    main = json.loads(files[f"{FOLDER}/library.json"])
    main["preloadedDependencies"] = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(libraries):
            name = f"H5P.Helper{i:02d}"
            folder = f"{name}-1.{i % 5}"
            main["preloadedDependencies"].append(
                {"machineName": name, "majorVersion": 1, "minorVersion": i % 5})
            archive.writestr(f"{folder}/library.json", dumps({
                "title": name, "machineName": name, "majorVersion": 1, "minorVersion": i % 5,
                "patchVersion": 3, "runnable": 0, "coreApi": {"majorVersion": 1, "minorVersion": 19},
                "preloadedJs": [{"path": "dist/helper.js"}], "preloadedCss": [{"path": "dist/helper.css"}],
            }))
            archive.writestr(f"{folder}/dist/helper.js", f"/* helper {i} */ var x{i} = {i};\n" * 200)
            archive.writestr(f"{folder}/dist/helper.css", f".helper-{i} {{ color: red; }}\n" * 100)
        files[f"{FOLDER}/library.json"] = dumps(main)
        for name, data in files.items():
            archive.writestr(name, data)
        for index in range(media_mb):
            with archive.open(f"content/videos/part{index:04d}.mp4", "w") as member:
                member.write(os.urandom(1024 * 1024))
