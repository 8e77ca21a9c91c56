"""Issue 10, hole 1: no upload by a trainer may change the code another lesson loads.

The exploit found: a trainer of unit B uploaded H5P.TtdnQuestion with a higher patchVersion and
one extra line of JavaScript; every lesson of every unit then loaded it. Here unit B's trainer
does that, and also uploads the SAME version with different bytes; unit A's lesson must still
load the original bytes (as its player fetches them), and unit B's lessons their own."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.accounts.models import Role, User
from courses.h5p import config
from courses.h5p.fixture_library import FOLDER, library_files
from courses.h5p.models import H5PContent, H5PLibrary
from tests.factories import user_with_role
from tests.h5p.builders import good_files, good_package, to_zip
from tests.h5p.factories import build_h5p_course
from tests.h5p.player import client_for, served_library

HIGHER_PATCH_MARKER = b"document.title = 'unit B, patch 9';"
SAME_VERSION_MARKER = b"document.title = 'unit B, same version';"
ORIGINAL_JS = library_files()[f"{FOLDER}/question.js"]


def patched(*, patch: int, marker: bytes) -> bytes:
    files = good_files(patch=patch)
    files[f"{FOLDER}/question.js"] = files[f"{FOLDER}/question.js"] + b"\n" + marker + b"\n"
    return to_zip(files)


def upload(api, user, lesson_id: int, data: bytes):
    api.force_authenticate(User.objects.get(pk=user.pk))
    response = api.post(f"/api/v1/lessons/{lesson_id}/h5p/",
                        {"file": SimpleUploadedFile("activity.h5p", data, "application/zip")},
                        format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def units(tree):
    return {"a": build_h5p_course(tree["ministry"]), "b": build_h5p_course(tree["province"]),
            "b2": build_h5p_course(tree["province"])}


def test_another_units_patched_library_never_reaches_this_units_lesson(api, units):
    a, b, b2 = units["a"], units["b"], units["b2"]
    upload(api, a.trainer, a.lesson.pk, good_package())
    upload(api, b.trainer, b.lesson.pk, patched(patch=9, marker=HIGHER_PATCH_MARKER))
    upload(api, b.trainer, b2.lesson.pk, patched(patch=0, marker=SAME_VERSION_MARKER))

    # Unit A's lesson, as its learner's and an administrator's player load it: the original bytes.
    administrator = user_with_role(Role.ADMINISTRATOR, None)
    for viewer in (a.trainee, administrator):
        assert served_library(client_for(viewer), a.lesson.pk, "question.js") == ORIGINAL_JS
        meta = json.loads(served_library(client_for(viewer), a.lesson.pk, "library.json"))
        assert meta["patchVersion"] == 0
    # Unit B's lessons play what they brought.
    served_b = served_library(client_for(b.trainee), b.lesson.pk, "question.js")
    assert HIGHER_PATCH_MARKER in served_b
    assert json.loads(served_library(client_for(b.trainee), b.lesson.pk, "library.json"))["patchVersion"] == 9
    served_b2 = served_library(client_for(b2.trainee), b2.lesson.pk, "question.js")
    assert SAME_VERSION_MARKER in served_b2 and HIGHER_PATCH_MARKER not in served_b2

    # Three copies side by side: the same version with other bytes is another row and folder.
    copies = H5PLibrary.objects.filter(machine_name="H5P.TtdnQuestion")
    assert sorted((lib.patch, lib.files_hash != "") for lib in copies) == [(0, True), (0, True), (9, True)]
    assert len({lib.store_folder for lib in copies}) == 3
    a_content = H5PContent.objects.get(lesson_id=a.lesson.pk)
    (a_library,) = a_content.libraries.all()
    assert a_content.main_library == a_library
    stored_js = config.library_store_dir() / a_library.store_folder / "question.js"
    assert stored_js.read_bytes() == ORIGINAL_JS


def test_identical_bytes_are_stored_once_and_shared(api, units):
    a, b = units["a"], units["b"]
    first = upload(api, a.trainer, a.lesson.pk, good_package(question="Câu của đơn vị A?"))
    second = upload(api, b.trainer, b.lesson.pk, good_package(question="Câu của đơn vị B?"))
    assert first["libraries"][0]["added"] is True and second["libraries"][0]["added"] is False
    assert first["libraries"][0]["files_hash"] == second["libraries"][0]["files_hash"]
    assert H5PLibrary.objects.count() == 1
    assert sorted(p.name for p in config.library_store_dir().iterdir()) == [
        H5PLibrary.objects.get().store_folder]


def test_a_package_without_its_library_is_refused_when_copies_differ(api, units, tree):
    a, b = units["a"], units["b"]
    upload(api, a.trainer, a.lesson.pk, good_package())
    upload(api, b.trainer, b.lesson.pk, patched(patch=9, marker=HIGHER_PATCH_MARKER))
    content_only = to_zip({k: v for k, v in good_files().items() if not k.startswith(FOLDER)})
    third = build_h5p_course(tree["ministry"])
    api.force_authenticate(User.objects.get(pk=third.trainer.pk))
    response = api.post(f"/api/v1/lessons/{third.lesson.pk}/h5p/",
                        {"file": SimpleUploadedFile("activity.h5p", content_only, "application/zip")},
                        format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "ambiguous_library"
    assert "H5P.TtdnQuestion 1.0" in body["message"] and "2 different copies" in body["message"]
    assert not H5PContent.objects.filter(lesson_id=third.lesson.pk).exists()
