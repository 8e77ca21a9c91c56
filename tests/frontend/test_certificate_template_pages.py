"""Certificate templates for administrators (/manage/certificate-templates/): list, create a
unit's default or a course's own template, edit, errors kept on the form, subtree access."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backend.accounts.models import Role
from certificates.models import CertificateTemplate
from tests.certificates.factories import certificate_course, make_template
from tests.certificates.images import seal_png
from tests.factories import user_with_role

VALUES = {"issuer_name": "Trường Bồi dưỡng cán bộ thông tin đối ngoại",
          "parent_issuer_name": "Ban Tuyên giáo Trung ương", "place": "Hà Nội",
          "signer_title": "Hiệu trưởng", "signer_name": "Trần Văn Minh", "validity_months": "",
          "course_hours": "8", "wording": "Đã hoàn thành khóa bồi dưỡng.",
          "serial_pattern": "{seq:04d}/{year}/GCN", "language": "vi"}


@pytest.fixture
def as_admin(client, admin_user):
    admin_user.language = "en"
    admin_user.save()
    client.force_login(admin_user)
    return client


def test_home_and_course_page_link_to_the_templates(as_admin, tree):
    assert reverse("admin-certificates") in as_admin.get(reverse("admin-home")).content.decode()
    course = certificate_course(tree["ministry"])
    page = as_admin.get(reverse("course-certificates", args=[course.pk])).content.decode()
    assert f"{reverse('admin-certificate-template-create')}?course={course.pk}" in page


def test_administrator_creates_a_unit_template_with_a_seal(as_admin, tree):
    url = reverse("admin-certificate-template-create")
    page = as_admin.get(url).content.decode()
    assert 'name="organisation"' in page and tree["province"].name not in page  # own subtree only
    seal = SimpleUploadedFile("dau.png", seal_png(), content_type="image/png")
    response = as_admin.post(url, {**VALUES, "organisation": tree["mission"].pk, "seal_image": seal})
    assert response.status_code == 302 and response["Location"] == reverse("admin-certificates")
    template = CertificateTemplate.objects.get(organisation=tree["mission"], course__isnull=True)
    assert template.signer_name == "Trần Văn Minh" and template.validity_months is None
    assert bytes(template.seal_image) == seal_png() and not template.signature_image
    listing = as_admin.get(reverse("admin-certificates")).content.decode()
    assert "Trần Văn Minh" in listing and reverse("admin-certificate-template", args=[template.pk]) in listing


def test_a_course_gets_its_own_template(as_admin, tree):
    course = certificate_course(tree["ministry"])
    url = reverse("admin-certificate-template-create") + f"?course={course.pk}"
    page = as_admin.get(url).content.decode()
    assert course.title in page and 'name="organisation"' not in page
    assert as_admin.post(url, VALUES).status_code == 302
    assert CertificateTemplate.objects.get(course=course).organisation_id == tree["ministry"].pk
    again = as_admin.post(url, VALUES)  # a second one is refused, in the page
    assert again.status_code == 200 and "already has a template" in again.content.decode()


def test_bad_input_keeps_what_was_typed(as_admin, tree):
    url = reverse("admin-certificate-template-create")
    response = as_admin.post(url, {**VALUES, "organisation": tree["ministry"].pk,
                                   "serial_pattern": "{nothing}", "signer_name": ""})
    page = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in page
    assert "Trường Bồi dưỡng cán bộ thông tin đối ngoại" in page
    assert not CertificateTemplate.objects.exists()


def test_edit_changes_fields_and_keeps_the_images(as_admin, tree):
    template = make_template(tree["ministry"], seal_image=seal_png())
    url = reverse("admin-certificate-template", args=[template.pk])
    assert "Trần Văn Minh" in as_admin.get(url).content.decode()
    response = as_admin.post(url, {**VALUES, "signer_name": "Nguyễn Văn Ký", "validity_months": "24"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.signer_name == "Nguyễn Văn Ký" and template.validity_months == 24
    assert bytes(template.seal_image) == seal_png()


def test_other_subtrees_and_other_roles_are_kept_out(client, as_admin, tree):
    theirs = make_template(tree["province"])
    assert as_admin.get(reverse("admin-certificate-template", args=[theirs.pk])).status_code == 404
    assert "Tỉnh Quảng Ninh" not in as_admin.get(reverse("admin-certificates")).content.decode()
    course = certificate_course(tree["province"])
    url = reverse("admin-certificate-template-create") + f"?course={course.pk}"
    assert as_admin.get(url).status_code == 404
    client.force_login(user_with_role(Role.TRAINER, tree["ministry"]))
    assert client.get(reverse("admin-certificates")).status_code == 403
