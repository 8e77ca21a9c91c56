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
    library_folder,
    parse_player_folder,
    remove_content,
    store_package,
    stored_file,
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
    folder = validated.main_library.store_folder
    assert folder == f"H5P.TtdnQuestion-1.0.0-{validated.main_library.files_hash}"
    assert len(validated.main_library.files_hash) == 32
    assert stored.added_libraries == (folder,)
    assert tree(libraries_dir(root)) == [f"{folder}/library.json", f"{folder}/question.css",
                                         f"{folder}/question.js", f"{folder}/semantics.json"]
    assert stored.content_dir == content_dir(root, "lesson-1")
    assert tree(stored.content_dir) == ["content.json", "h5p.json", "images/photo.png"]
    assert json.loads((stored.content_dir / "h5p.json").read_text("utf-8"))["title"] == "Câu hỏi thử"
    assert json.loads((stored.content_dir / "content.json").read_text("utf-8")) == validated.content_json
    assert list((root / ".staging").iterdir()) == []


def test_same_library_bytes_are_stored_once(root):
    first, _ = upload(root, good_package(question="Câu một?"), "lesson-1")
    folder = first.main_library.store_folder
    js = libraries_dir(root) / folder / "question.js"
    first_inode = js.stat().st_ino
    validated, stored = upload(root, good_package(question="Câu hai?"), "lesson-2")
    # The package's own copy is the one played; its bytes are already stored, so it is shared.
    assert validated.main_library.folder_name_in_zip == FOLDER and not validated.main_library.is_new
    assert validated.main_library.store_folder == folder
    assert stored.added_libraries == ()
    assert stored.reused_libraries == (folder,)
    assert js.stat().st_ino == first_inode  # untouched
    assert [p.name for p in libraries_dir(root).iterdir()] == [folder]


def test_other_bytes_of_a_version_are_stored_beside_and_never_over(root):
    first, _ = upload(root, good_package(), "lesson-1")
    original = (libraries_dir(root) / first.main_library.store_folder / "question.js").read_bytes()
    files = good_files()
    files[f"{FOLDER}/question.js"] += b"\n/* another build of the same version */\n"
    second, stored = upload(root, to_zip(files), "lesson-2")
    assert (second.main_library.patch, second.main_library.is_new) == (0, True)
    assert second.main_library.store_folder != first.main_library.store_folder
    assert stored.added_libraries == (second.main_library.store_folder,)
    assert (libraries_dir(root) / first.main_library.store_folder / "question.js").read_bytes() == original
    assert b"another build" in (libraries_dir(root) / second.main_library.store_folder / "question.js"
                                ).read_bytes()


def test_patch_upgrade_is_stored_beside_and_old_content_keeps_its_patch(root):
    old, _ = upload(root, good_package(), "lesson-1")
    new, stored = upload(root, good_package(patch=1), "lesson-2")
    assert stored.added_libraries == (new.main_library.store_folder,)
    assert sorted(p.name for p in libraries_dir(root).iterdir()) == sorted(
        [old.main_library.store_folder, new.main_library.store_folder])
    # An older patch uploaded later is played as it came (its bytes are stored already).
    older, stored_older = upload(root, good_package(), "lesson-3")
    assert older.main_library.patch == 0 and older.main_library.folder_name_in_zip == FOLDER
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


def test_library_bytes_changed_since_validation_are_refused(root):
    validated = validate_package(io.BytesIO(good_package()), limits=H5PLimits(),
                                 library_store_dir=libraries_dir(root), player_core_api=(1, 26))
    files = good_files()
    files[f"{FOLDER}/question.js"] += b"\nwindow.swapped = true;\n"
    with pytest.raises(H5PPackageError) as refused:
        store_package(io.BytesIO(to_zip(files)), validated, root=root, content_key="lesson-1")
    assert refused.value.code == "unsafe_archive" and refused.value.path == FOLDER
    assert tree(root) == []


def test_archive_changed_since_validation_is_refused(root):
    validated = validate_package(io.BytesIO(good_package()), limits=H5PLimits(),
                                 library_store_dir=libraries_dir(root), player_core_api=(1, 26))
    other = to_zip({k: v for k, v in good_files().items() if k != "content/content.json"})
    with pytest.raises(H5PPackageError):
        store_package(io.BytesIO(other), validated, root=root, content_key="lesson-1")
    assert tree(root) == []


def test_remove_content_keeps_libraries(root):
    validated, _ = upload(root, good_package(), "lesson-1")
    remove_content(root, "lesson-1")
    assert not content_dir(root, "lesson-1").exists()
    assert (libraries_dir(root) / validated.main_library.store_folder / "library.json").is_file()


@pytest.mark.parametrize("key", ["../x", "a/b", "", ".hidden", "x" * 101])
def test_content_key_must_be_a_plain_name(root, key):
    with pytest.raises(ValueError):
        content_dir(root, key)


def test_library_files_are_found_inside_their_folder_only(root):
    validated, _ = upload(root, good_package(), "lesson-1")
    folder = library_folder(root, validated.main_library.store_folder)
    assert stored_file(folder, "question.js").is_file()
    assert stored_file(folder, "../../content/lesson-1/h5p.json") is None
    assert stored_file(folder, "/etc/passwd") is None
    assert stored_file(folder, "nothing.js") is None
    assert stored_file(folder, ".hidden") is None
    assert library_folder(root, "H5P.TtdnQuestion-1.0.0") is None  # not a stored copy's name
    assert library_folder(root, "../libraries") is None
    assert library_folder(root, f"H5P.Other-1.0.0-{'0' * 32}") is None
    assert parse_player_folder("H5P.TtdnQuestion-1.0") == ("H5P.TtdnQuestion", 1, 0)
    assert parse_player_folder("H5P.TtdnQuestion-1.0.0") is None and parse_player_folder("../x-1.0") is None


def test_stored_library_satisfies_a_later_content_only_package(root):
    upload(root, good_package(), "lesson-1")
    files = {k: v for k, v in good_files("Chỉ có nội dung?").items() if not k.startswith(FOLDER)}
    validated, stored = upload(root, to_zip(files), "lesson-2")
    assert validated.main_library.folder_name_in_zip is None
    assert [w.code for w in validated.warnings] == ["library_from_site"]
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
