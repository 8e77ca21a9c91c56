import io
import json
import os

import pytest

from courses.h5p import errors as e
from courses.h5p.archive import H5PLimits, path_problem
from courses.h5p.fixture_library import FOLDER, build_question_package
from courses.h5p.package import H5PPackageError, validate_package
from tests.h5p.builders import MALICIOUS, dumps, expected_code, good_files, good_package, to_zip

CORE = (1, 26)


def validate(data: bytes, store, **kwargs):
    limits = kwargs.pop("limits", H5PLimits())
    return validate_package(io.BytesIO(data), limits=limits, library_store_dir=store,
                            player_core_api=kwargs.pop("core", CORE), **kwargs)


def files_under(path):
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


@pytest.fixture
def store(tmp_path):
    return tmp_path / "h5p" / "libraries"


def test_good_package_is_described(store):
    result = validate(good_package(), store)
    assert result.title == "Câu hỏi thử"
    assert result.language == "vi"
    main = result.main_library
    assert (main.machine_name, main.major, main.minor, main.patch) == ("H5P.TtdnQuestion", 1, 0, 0)
    assert main.folder_name_in_zip == FOLDER and main.is_new
    assert result.libraries == (main,)
    assert result.embed_types == ("div", "iframe")
    assert result.content_json["question"] == "Hà Nội là thủ đô của Việt Nam?"
    assert result.content_files == ()
    assert result.warnings == ()


def test_fixture_builder_makes_a_valid_package(store):
    data = build_question_package("Đà Nẵng ở miền Trung?", correct="yes", l10n={"yes": "Đúng", "no": "Sai"})
    result = validate(data, store)
    assert result.content_json["l10n"]["yes"] == "Đúng"
    assert result.warnings == ()


def test_validation_accepts_a_path_too(tmp_path, store):
    path = tmp_path / "upload.h5p"
    path.write_bytes(good_package())
    result = validate_package(path, limits=H5PLimits(), library_store_dir=store, player_core_api=CORE)
    assert result.main_library.machine_name == "H5P.TtdnQuestion"


@pytest.mark.parametrize("case", sorted(MALICIOUS))
def test_each_bad_package_is_refused_with_its_code(case, store, tmp_path):
    before = set(tmp_path.rglob("*"))
    with pytest.raises(H5PPackageError) as refused:
        validate(MALICIOUS[case](), store)
    assert refused.value.code == expected_code(case)
    assert refused.value.message  # a sentence for the trainer
    assert set(tmp_path.rglob("*")) == before  # validation writes nothing


def test_error_names_the_member_at_fault(store):
    with pytest.raises(H5PPackageError) as refused:
        validate(MALICIOUS["file_type_php"](), store)
    assert refused.value.path == "content/shell.php"
    assert refused.value.status == 400


def test_size_limits_are_configurable(store):
    files = {**good_files(), "content/images/photo.png": os.urandom(50_000)}
    data = to_zip(files)
    with pytest.raises(H5PPackageError) as per_file:
        validate(data, store, limits=H5PLimits(max_file_bytes=20_000))
    assert per_file.value.code == e.TOO_LARGE
    with pytest.raises(H5PPackageError) as total:
        validate(data, store, limits=H5PLimits(max_total_bytes=40_000))
    assert total.value.code == e.TOO_LARGE
    with pytest.raises(H5PPackageError) as upload:
        validate(data, store, limits=H5PLimits(max_upload_bytes=10_000))
    assert upload.value.code == e.TOO_LARGE
    with pytest.raises(H5PPackageError) as count:
        validate(data, store, limits=H5PLimits(max_files=3))
    assert count.value.code == e.TOO_MANY_FILES
    assert validate(data, store).content_files == ("images/photo.png",)


def test_hidden_files_are_ignored_like_h5p_core_does(store):
    files = {**good_files(), "__MACOSX/._h5p.json": b"x", "content/.DS_Store": b"x"}
    result = validate(to_zip(files), store)
    assert {w.path for w in result.warnings if w.code == "ignored_file"} == {
        "__MACOSX/._h5p.json", "content/.DS_Store"}
    assert result.content_files == ()


def test_library_may_carry_js_css_svg_but_content_may_not(store):
    files = {**good_files(), f"{FOLDER}/icon.svg": b"<svg/>", "content/images/a.png": b"png"}
    assert validate(to_zip(files), store).content_files == ("images/a.png",)


def test_missing_editor_library_is_only_a_warning(store):
    files = good_files()
    meta = json.loads(files[f"{FOLDER}/library.json"])
    meta["editorDependencies"] = [{"machineName": "H5PEditor.Nothing", "majorVersion": 1, "minorVersion": 0}]
    files[f"{FOLDER}/library.json"] = dumps(meta)
    result = validate(to_zip(files), store)
    assert [w.code for w in result.warnings] == ["missing_editor_library"]


HELPER_DEP = {"machineName": "H5P.Helper", "majorVersion": 1, "minorVersion": 2}


def stored_helper(store, *, patch: int = 4, digest: str = "a" * 32):
    helper = store / f"H5P.Helper-1.2.{patch}-{digest}"
    helper.mkdir(parents=True)
    (helper / "library.json").write_text(json.dumps({
        "title": "Helper", "machineName": "H5P.Helper", "majorVersion": 1, "minorVersion": 2,
        "patchVersion": patch, "runnable": 0}))
    return helper


def test_dependency_with_one_copy_in_store_need_not_be_packaged(store):
    stored_helper(store)
    result = validate(to_zip(good_files(preloadedDependencies=[HELPER_DEP])), store)
    helper_ref = next(lib for lib in result.libraries if lib.machine_name == "H5P.Helper")
    assert (helper_ref.patch, helper_ref.files_hash, helper_ref.folder_name_in_zip, helper_ref.is_new) == (
        4, "a" * 32, None, False)
    assert [(w.code, "H5P.Helper 1.2" in w.message) for w in result.warnings] == [("library_from_site", True)]


@pytest.mark.parametrize("second", [{"patch": 5, "digest": "b" * 32}, {"patch": 4, "digest": "c" * 32}])
def test_dependency_with_several_copies_in_store_must_be_packaged(store, second):
    stored_helper(store)
    stored_helper(store, **second)
    with pytest.raises(H5PPackageError) as refused:
        validate(to_zip(good_files(preloadedDependencies=[HELPER_DEP])), store)
    assert refused.value.code == e.AMBIGUOUS_LIBRARY
    assert "H5P.Helper 1.2" in refused.value.message and refused.value.path == FOLDER


def test_the_packages_own_copy_wins_over_a_newer_stored_patch(store):
    newer = store / f"H5P.TtdnQuestion-1.0.7-{'d' * 32}"
    newer.mkdir(parents=True)
    (newer / "library.json").write_text(json.dumps({
        "title": "Q", "machineName": "H5P.TtdnQuestion", "majorVersion": 1, "minorVersion": 0,
        "patchVersion": 7, "runnable": 1}))
    result = validate(good_package(), store)
    assert (result.main_library.patch, result.main_library.folder_name_in_zip) == (0, FOLDER)
    assert result.main_library.is_new and result.libraries == (result.main_library,)


def test_a_library_language_file_that_is_not_json_is_refused_naming_it(store):
    files = {**good_files(), f"{FOLDER}/language/vi.json": dumps({"semantics": []}),
             f"{FOLDER}/language/fr.json": b'{"semantics": [ }'}
    with pytest.raises(H5PPackageError) as refused:
        validate(to_zip(files), store)
    assert refused.value.code == e.INVALID_LIBRARY
    assert refused.value.path == f"{FOLDER}/language/fr.json"
    assert f"{FOLDER}/language/fr.json" in refused.value.message


def test_valid_and_hidden_language_files_pass(store):
    files = {**good_files(), f"{FOLDER}/language/vi.json": dumps({"semantics": [{"label": "Câu hỏi"}]}),
             f"{FOLDER}/language/.en.json": b"not json, but hidden: skipped like H5P core does"}
    assert validate(to_zip(files), store).main_library.machine_name == "H5P.TtdnQuestion"


def test_the_digest_covers_every_file_of_the_library(store):
    plain = validate(good_package(), store).main_library.files_hash
    assert validate(good_package(question="Câu khác?"), store).main_library.files_hash == plain  # content
    files = {**good_files(), f"{FOLDER}/icon.svg": b"<svg/>"}
    assert validate(to_zip(files), store).main_library.files_hash != plain


def test_core_api_limit_follows_the_setting(store):
    data = good_package(core_api=(1, 26))
    assert validate(data, store, core=(1, 26)).main_library.core_api == (1, 26)
    with pytest.raises(H5PPackageError) as refused:
        validate(data, store, core=(1, 24))
    assert refused.value.code == e.CORE_API_TOO_NEW


def test_missing_media_is_a_warning(store):
    files = good_files()
    files["content/content.json"] = dumps({"question": "?", "correct": "yes",
                                           "image": {"path": "images/gone.png", "mime": "image/png"}})
    result = validate(to_zip(files), store)
    assert ("missing_media", "images/gone.png") in {(w.code, w.path) for w in result.warnings}


def test_semantics_findings_are_warnings_not_rejections(store):
    files = good_files()
    files["content/content.json"] = dumps({"question": 42, "correct": "maybe"})
    result = validate(to_zip(files), store)
    codes = [w.code for w in result.warnings]
    assert codes and set(codes) == {"semantics"}
    assert any("question" in (w.path or "") for w in result.warnings)


def test_catastrophic_author_regexp_is_cut_off(store):
    files = good_files()
    semantics = json.loads(files[f"{FOLDER}/semantics.json"])
    semantics[0]["regexp"] = {"pattern": "^(a+)+$", "modifiers": ""}
    files[f"{FOLDER}/semantics.json"] = dumps(semantics)
    files["content/content.json"] = dumps({"question": "a" * 40 + "b", "correct": "yes"})
    result = validate(to_zip(files), store, limits=H5PLimits(semantics_timeout_seconds=1.0))
    assert [w.code for w in result.warnings] == ["semantics_skipped"]


def test_semantics_check_can_be_turned_off(store):
    files = good_files()
    files["content/content.json"] = dumps({"question": 42})
    assert validate(to_zip(files), store, semantics=False).warnings == ()


@pytest.mark.parametrize(("name", "code"), [
    ("a/b.json", None), ("../x", e.PATH_TRAVERSAL), ("a/../../x", e.PATH_TRAVERSAL),
    ("/etc/passwd", e.ABSOLUTE_PATH), ("C:/x", e.ABSOLUTE_PATH), ("\\\\server\\x", e.ABSOLUTE_PATH),
    ("a\\..\\x", e.PATH_TRAVERSAL), ("a\\b.json", e.UNSAFE_PATH), ("a//b", e.UNSAFE_PATH),
    ("a/./b", e.UNSAFE_PATH), ("ab:c", e.UNSAFE_PATH), ("a/\nb", e.UNSAFE_PATH),
])
def test_path_rules(name, code):
    assert path_problem(name) == code


def test_encrypted_member_is_refused(store):
    data = bytearray(good_package())
    # Set the "encrypted" flag (bit 0 of the flags) in h5p.json's central directory entry.
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_len = int.from_bytes(data[offset + 28:offset + 30], "little")
        if bytes(data[offset + 46:offset + 46 + name_len]) == b"h5p.json":
            data[offset + 8] |= 0x1
            break
        offset = data.find(b"PK\x01\x02", offset + 4)
    assert offset != -1
    with pytest.raises(H5PPackageError) as refused:
        validate(bytes(data), store)
    assert refused.value.code == e.UNSAFE_ARCHIVE


def test_main_library_without_semantics_is_not_checked(store):
    files = good_files()
    del files[f"{FOLDER}/semantics.json"]
    assert validate(to_zip(files), store).warnings == ()
