"""Cohort pages and pickers: search, unit and size wherever a cohort is chosen, the import
result's cohorts."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backend.accounts.models import Cohort, CohortMembership
from backend.jobs.models import Job
from tests.courses.factories import build_course
from tests.factories import CohortFactory, UserFactory


def two_classes_named_alike(tree):
    """Two units each run their own 'Lớp K1' (legitimately): pickers must tell them apart."""
    ministry = CohortFactory(name="Lớp K1", organisation=tree["ministry"], code="bng-k1")
    mission = CohortFactory(name="Lớp K1", organisation=tree["mission"], code="dsq-k1")
    for cohort, n in ((ministry, 3), (mission, 1)):
        for person in UserFactory.create_batch(n, organisation=tree["mission"]):
            CohortMembership.objects.create(cohort=cohort, user=person)
    return ministry, mission


def test_every_cohort_picker_shows_unit_and_size(signed_in, admin_user, tree):
    two_classes_named_alike(tree)
    client = signed_in(admin_user)
    course = build_course(tree["ministry"], title="Khóa học TTĐN", issues_certificate=True)
    pages = [reverse("admin-enrolments") + f"?course={course.pk}",
             reverse("admin-user", args=[UserFactory(organisation=tree["mission"]).pk]),
             reverse("course-certificates", args=[course.pk])]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Lớp K1 — Bộ Ngoại giao (3 members)" in html, url
        assert "Lớp K1 — Đại sứ quán tại Pháp (1 member)" in html, url


def test_cohort_list_searches_names_and_codes_without_accents(signed_in, admin_user, tree):
    CohortFactory(name="Lớp Thông tin đối ngoại K2", organisation=tree["ministry"], code="ttdn-k2")
    CohortFactory(name="Lớp Báo chí", organisation=tree["ministry"], code="bao-chi")
    client = signed_in(admin_user)
    for query in ("thong tin doi", "TTDN-K2", "ĐỐI NGOẠI"):
        html = client.get(reverse("admin-cohorts"), {"q": query}).content.decode()
        assert "Lớp Thông tin đối ngoại K2" in html and "Lớp Báo chí" not in html, query
    empty = client.get(reverse("admin-cohorts"), {"q": "zzz"}).content.decode()
    assert "No cohort matches this search." in empty


def test_import_result_lists_its_cohorts_with_unit_and_size(signed_in, admin_user, tree,
                                                            django_capture_on_commit_callbacks):
    client = signed_in(admin_user)
    data = ("email,full_name,organisation,role,cohort\n"
            "a@mofa.gov.vn,Đặng Thị A,mission,trainee,Lớp K9\n"
            "b@mofa.gov.vn,Đặng Văn B,dept,trainee,Lớp K9\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin-import"), {"file": SimpleUploadedFile("u.csv", data)})
    html = client.get(reverse("admin-import-job", args=[Job.objects.get().id])).content.decode()
    cohort = Cohort.objects.get(name="Lớp K9")
    assert 'id="import-cohorts"' in html
    link = reverse("admin-cohort", args=[cohort.pk])
    cells = re.sub(r' data-label="[^"]*"', "", html)  # stacked-table labels (docs/design.md)
    assert f'href="{link}">Lớp K9</a></td><td>Bộ Ngoại giao</td><td>2</td><td>New cohort' in cells
