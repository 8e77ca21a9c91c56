import io
import json

import pytest

from courses.h5p import archive
from courses.h5p.archive import H5PLimits
from courses.h5p.errors import H5PPackageError
from courses.h5p.fixture_library import FOLDER
from courses.h5p.package import validate_package
from courses.h5p.storage import (
    content_dir,
    libraries_dir,
    remove_content,
    resolve_library_file,
    store_package,
)
from tests.h5p.builders import dumps, good_files, good_package, to_zip


@pytest.fixture
def root(tmp_path):
    return tmp_path / "h5p"


def upload(root, data: bytes, key: str):
    validated = validate_package(io.BytesIO(data), limits=H5PLimits(), library_store_dir=libraries_dir(root),
                                 player_core_api=(1, 26))
    return validated, store_package(io.BytesIO(data), validated, root=root, content_key=key)


def tree(path):
    return sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())


def test_package_is_unpacked_into_library_root_and_content_folder(root):
    files = {**good_files(), "content/images/photo.png": b"\x89PNG fake"}
    validated, stored = upload(root, to_zip(files), "lesson-1")
    assert stored.added_libraries == ("H5P.TtdnQuestion-1.0.0",)
    assert tree(libraries_dir(root)) == [
        "H5P.TtdnQuestion-1.0.0/library.json", "H5P.TtdnQuestion-1.0.0/question.css",
        "H5P.TtdnQuestion-1.0.0/question.js", "H5P.TtdnQuestion-1.0.0/semantics.json"]
    assert stored.content_dir == content_dir(root, "lesson-1")
    assert tree(stored.content_dir) == ["content.json", "h5p.json", "images/photo.png"]
    assert json.loads((stored.content_dir / "h5p.json").read_text("utf-8"))["title"] == "Câu hỏi thử"
    assert json.loads((stored.content_dir / "content.json").read_text("utf-8")) == validated.content_json
    assert list((root / ".staging").iterdir()) == []


def test_same_library_version_is_stored_once(root):
    upload(root, good_package(question="Câu một?"), "lesson-1")
    js = libraries_dir(root) / "H5P.TtdnQuestion-1.0.0" / "question.js"
    first_inode = js.stat().st_ino
    validated, stored = upload(root, good_package(question="Câu hai?"), "lesson-2")
    assert not validated.main_library.is_new
    # The stored copy is the one played, so its metadata is the one resolved.
    assert validated.main_library.folder_name_in_zip is None
    assert stored.added_libraries == ()
    assert stored.reused_libraries == ("H5P.TtdnQuestion-1.0.0",)
    assert js.stat().st_ino == first_inode  # untouched
    assert [p.name for p in libraries_dir(root).iterdir()] == ["H5P.TtdnQuestion-1.0.0"]


def test_patch_upgrade_is_stored_beside_and_played(root):
    upload(root, good_package(), "lesson-1")
    _, stored = upload(root, good_package(patch=1), "lesson-2")
    assert stored.added_libraries == ("H5P.TtdnQuestion-1.0.1",)
    assert sorted(p.name for p in libraries_dir(root).iterdir()) == [
        "H5P.TtdnQuestion-1.0.0", "H5P.TtdnQuestion-1.0.1"]
    served = resolve_library_file(root, "H5P.TtdnQuestion-1.0", "library.json")
    assert served.parent.name == "H5P.TtdnQuestion-1.0.1"
    # An older patch uploaded later is not stored and does not win.
    older, stored_older = upload(root, good_package(), "lesson-3")
    assert older.main_library.patch == 1 and older.main_library.folder_name_in_zip is None
    assert stored_older.added_libraries == ()


def test_reupload_replaces_content_in_one_go(root):
    files = {**good_files("Câu cũ?"), "content/images/old.png": b"old"}
    upload(root, to_zip(files), "lesson-1")
    upload(root, good_package(question="Câu mới?"), "lesson-1")
    folder = content_dir(root, "lesson-1")
    assert json.loads((folder / "content.json").read_text("utf-8"))["question"] == "Câu mới?"
    assert tree(folder) == ["content.json", "h5p.json"]  # old media gone with the old content
    assert list((root / ".staging").iterdir()) == []


def test_failed_unpack_leaves_nothing_behind(root, monkeypatch):
    data = to_zip({**good_files(), "content/images/a.png": b"a", "content/images/b.png": b"b"})
    validated = validate_package(io.BytesIO(data), limits=H5PLimits(), library_store_dir=libraries_dir(root),
                                 player_core_api=(1, 26))
    real_copy = archive.copy_member
    calls = []

    def failing_copy(zf, info, target, max_bytes):
        calls.append(info.filename)
        if len(calls) == 6:  # after the library and part of the content were written
            raise H5PPackageError("too_large", "boom", path=info.filename)
        return real_copy(zf, info, target, max_bytes)

    monkeypatch.setattr(archive, "copy_member", failing_copy)
    with pytest.raises(H5PPackageError):
        store_package(io.BytesIO(data), validated, root=root, content_key="lesson-1")
    assert tree(root) == []


def test_failed_reupload_keeps_the_previous_content(root, monkeypatch):
    upload(root, good_package(question="Câu cũ?"), "lesson-1")
    data = good_package(question="Câu mới?")
    validated = validate_package(io.BytesIO(data), limits=H5PLimits(), library_store_dir=libraries_dir(root),
                                 player_core_api=(1, 26))
    monkeypatch.setattr(archive, "copy_member", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        store_package(io.BytesIO(data), validated, root=root, content_key="lesson-1")
    folder = content_dir(root, "lesson-1")
    assert json.loads((folder / "content.json").read_text("utf-8"))["question"] == "Câu cũ?"


def _shrink_declared_size(data: bytes, name: bytes, size: int) -> bytes:
    """Make the headers of member `name` claim `size` uncompressed bytes (a lying archive)."""
    out = bytearray(data)
    for signature, name_len_at, size_at, name_at in ((b"PK\x03\x04", 26, 22, 30),
                                                     (b"PK\x01\x02", 28, 24, 46)):
        offset = out.find(signature)
        while offset != -1:
            length = int.from_bytes(out[offset + name_len_at:offset + name_len_at + 2], "little")
            if bytes(out[offset + name_at:offset + name_at + length]) == name:
                out[offset + size_at:offset + size_at + 4] = size.to_bytes(4, "little")
            offset = out.find(signature, offset + 4)
    return bytes(out)


def test_member_larger_than_its_header_says_is_refused_while_unpacking(root):
    data = to_zip({**good_files(), "content/images/a.png": b"A" * 5000})
    lying = _shrink_declared_size(data, b"content/images/a.png", 10)
    validated = validate_package(io.BytesIO(lying), limits=H5PLimits(), library_store_dir=libraries_dir(root),
                                 player_core_api=(1, 26))
    with pytest.raises(H5PPackageError) as refused:
        store_package(io.BytesIO(lying), validated, root=root, content_key="lesson-1")
    assert refused.value.code == "not_zip"  # the CRC no longer matches: "damaged"
    assert tree(root) == []


def test_archive_changed_since_validation_is_refused(root):
    validated = validate_package(io.BytesIO(good_package()), limits=H5PLimits(),
                                 library_store_dir=libraries_dir(root), player_core_api=(1, 26))
    other = to_zip({k: v for k, v in good_files().items() if k != "content/content.json"})
    with pytest.raises(H5PPackageError):
        store_package(io.BytesIO(other), validated, root=root, content_key="lesson-1")
    assert tree(root) == []


def test_remove_content_keeps_libraries(root):
    upload(root, good_package(), "lesson-1")
    remove_content(root, "lesson-1")
    assert not content_dir(root, "lesson-1").exists()
    assert (libraries_dir(root) / "H5P.TtdnQuestion-1.0.0" / "library.json").is_file()


@pytest.mark.parametrize("key", ["../x", "a/b", "", ".hidden", "x" * 101])
def test_content_key_must_be_a_plain_name(root, key):
    with pytest.raises(ValueError):
        content_dir(root, key)


def test_resolve_library_file_refuses_escapes(root):
    upload(root, good_package(), "lesson-1")
    assert resolve_library_file(root, "H5P.TtdnQuestion-1.0", "question.js").is_file()
    assert resolve_library_file(root, "H5P.TtdnQuestion-1.0", "../../content/lesson-1/h5p.json") is None
    assert resolve_library_file(root, "H5P.TtdnQuestion-1.0", "/etc/passwd") is None
    assert resolve_library_file(root, "H5P.TtdnQuestion-1.0", "nothing.js") is None
    assert resolve_library_file(root, "H5P.Other-1.0", "question.js") is None
    assert resolve_library_file(root, "../libraries", "x") is None


def test_stored_library_satisfies_a_later_content_only_package(root):
    upload(root, good_package(), "lesson-1")
    files = {k: v for k, v in good_files("Chỉ có nội dung?").items() if not k.startswith(FOLDER)}
    validated, stored = upload(root, to_zip(files), "lesson-2")
    assert validated.main_library.folder_name_in_zip is None
    assert stored.added_libraries == ()
    content = json.loads((stored.content_dir / "content.json").read_text("utf-8"))
    assert content["question"] == "Chỉ có nội dung?"


def test_h5p_json_written_for_player_lists_dependencies(root):
    files = good_files()
    files["h5p.json"] = dumps({**json.loads(files["h5p.json"]), "authors": [{"name": "Nguyễn Văn A"}]})
    _, stored = upload(root, to_zip(files), "lesson-1")
    written = json.loads((stored.content_dir / "h5p.json").read_text("utf-8"))
    assert written["preloadedDependencies"][0]["machineName"] == "H5P.TtdnQuestion"
    assert written["authors"] == [{"name": "Nguyễn Văn A"}]
