"""Pages: verification (public, status by colour and text), my certificates, the course page."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from backend.accounts.models import Role
from certificates.services import certificate_issue, certificate_revoke
from tests.certificates.factories import certificate_course, complete, issued_certificate, make_template
from tests.factories import user_with_role


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(tree, trainee):
    return issued_certificate(tree, trainee)


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_verification_page_valid_then_revoked(client, issued, admin_user):
    english(client)
    page = client.get(f"/verify/{issued.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="verdict verdict-valid"' in html and 'data-status="valid"' in html
    assert issued.holder_name in html and "Kỹ năng phát ngôn" in html
    assert issued.user.email not in html
    certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Cấp nhầm")
    html = client.get(f"/verify/{issued.code}/").content.decode()
    assert "verdict-revoked" in html and "Cấp nhầm" in html and "Revoked" in html


def test_verification_page_unknown_and_malformed_look_the_same(client, issued):
    english(client)
    unknown = client.get("/verify/ABCD-EFGH-JKMN-PQRS/")
    malformed = client.get("/verify/nonsense/")
    assert unknown.status_code == malformed.status_code == 404

    def page(r, code):  # the per-response CSRF mask and the echoed input aside
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", r.content.decode().replace(code, ""))

    assert page(unknown, "ABCD-EFGH-JKMN-PQRS") == page(malformed, "nonsense")


def test_verification_form_normalises_what_was_typed(client, issued):
    typed = issued.code.lower().replace("-", " ")
    r = client.get("/verify/", {"code": typed})
    assert r.status_code == 302 and r["Location"] == f"/verify/{issued.code}/"


def test_verification_page_shares_the_rate_limit(client, issued, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"verify": "2/min", "anon": "100/min"}}
    assert client.get(f"/api/v1/verify/{issued.code}/").status_code == 200
    assert client.get(f"/verify/{issued.code}/").status_code == 200
    r = client.get(f"/verify/{issued.code}/")
    assert r.status_code == 429 and r["Retry-After"]


def test_my_certificates_lists_own_with_download_and_copy(client, issued, trainee):
    client.force_login(trainee)
    html = client.get("/certificates/").content.decode()
    assert f"/api/v1/certificates/{issued.pk}/pdf/" in html
    assert f'data-copy="http://127.0.0.1:8000/verify/{issued.code}/"' in html
    assert "frontend/certificates.js" in html


@override_settings(LANGUAGE_CODE="en")
def test_course_page_for_administrators_only(client, issued, admin_user, trainee, tree,
                                            django_capture_on_commit_callbacks):
    client.force_login(trainee)
    assert client.get(f"/courses/{issued.course_id}/certificates/").status_code == 404
    client.force_login(user_with_role(Role.ADMINISTRATOR, tree["province"]))
    assert client.get(f"/courses/{issued.course_id}/certificates/").status_code == 404
    admin_user.language = "en"  # a signed-in person's saved language decides (decision 0050)
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    page = client.get(f"/courses/{issued.course_id}/certificates/")
    html = page.content.decode()
    assert page.status_code == 200 and issued.serial in html and 'id="bulk-bar"' in html
    url = f"/courses/{issued.course_id}/certificates/{issued.pk}/revoke/"
    client.post(url, {"reason": "", "confirmed": "1"})
    issued.refresh_from_db()
    assert issued.revoked_at is None
    # Without JavaScript the server asks first, on a page that carries the reason along.
    asked = client.post(url, {"reason": "Sai tên"})
    text = asked.content.decode()
    assert asked.status_code == 200 and issued.serial in text and 'name="reason" value="Sai tên"' in text
    assert 'data-confirm="Revoke certificate' in html  # with JavaScript: a dialog on the page
    issued.refresh_from_db()
    assert issued.revoked_at is None
    client.post(url, {"reason": "Sai tên", "confirmed": "1"})
    issued.refresh_from_db()
    assert issued.revoked_reason == "Sai tên"


def test_course_page_bulk_issue_can_be_limited_to_a_cohort(client, tree, admin_user,
                                                           django_capture_on_commit_callbacks):
    from certificates.models import Certificate
    from tests.factories import CohortFactory, UserFactory

    make_template(tree["central"])
    course = certificate_course(tree["ministry"], title="Kỹ năng phát ngôn")
    members = [UserFactory(organisation=tree["dept"]) for _ in range(2)]
    outside = UserFactory(organisation=tree["dept"])
    for user in [*members, outside]:
        complete(course, user)
    Certificate.objects.all().delete()
    cohort = CohortFactory(organisation=tree["ministry"], name="Lớp TTĐN khóa 3")
    cohort.members.add(*members)
    client.force_login(admin_user)
    page = client.get(f"/courses/{course.pk}/certificates/").content.decode()
    assert f'<option value="{cohort.pk}">' in page and "Lớp TTĐN khóa 3" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/courses/{course.pk}/certificates/issue/", {"cohort": str(cohort.pk)})
    assert set(Certificate.objects.values_list("user_id", flat=True)) == {m.pk for m in members}


@override_settings(LANGUAGE_CODE="en")
def test_bulk_issue_after_a_revocation_tells_the_truth(client, tree, admin_user,
                                                       django_capture_on_commit_callbacks):
    """A repeat issue after a revocation creates nothing: the message says 0 new and how many
    were issued before (it said "1 issued" when all counts were one number)."""
    from tests.factories import UserFactory

    make_template(tree["central"])
    course = certificate_course(tree["ministry"], title="Kỹ năng phát ngôn")
    people = [UserFactory(organisation=tree["dept"]) for _ in range(3)]
    for user in people:
        complete(course, user)
    issued = [certificate_issue(user_id=u.pk, course_id=course.pk)[0] for u in people]
    first = issued[0]
    certificate_revoke(actor=admin_user, certificate_id=first.pk, reason="Sai tên")
    admin_user.language = "en"  # a signed-in person's saved language decides (decision 0050)
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/courses/{course.pk}/certificates/issue/")
    text = client.get(started["Location"]).content.decode()
    assert "0 new certificate(s); 3 already issued before; 0 skipped (not eligible); 0 failed." in text
    # A new completer: one new certificate, the others counted as issued before.
    complete(course, UserFactory(organisation=tree["dept"]))
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/courses/{course.pk}/certificates/issue/")
    text = client.get(started["Location"]).content.decode()
    assert "1 new certificate(s); 3 already issued before;" in text


def test_verification_page_says_a_certificate_was_reinstated(client, issued, admin_user):
    from certificates.services import certificate_reinstate

    english(client)
    certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Cấp nhầm")
    certificate_reinstate(actor=admin_user, certificate_id=issued.pk, reason="Thu hồi nhầm người")
    html = client.get(f"/verify/{issued.code}/").content.decode()
    assert 'class="verdict verdict-valid"' in html and 'data-status="valid"' in html
    assert "data-reinstated" in html and "Thu hồi nhầm người" in html and "Reinstated on" in html
    assert "Cấp nhầm" not in html  # the undone revocation's reason is the audit log's, not public
    assert 'href="/verify/file/"' in html


@override_settings(LANGUAGE_CODE="en")
def test_course_page_reinstates_a_revoked_certificate_after_asking(client, issued, admin_user):
    from backend.audit.models import AuditEntry

    certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Sai tên")
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    page = client.get(f"/courses/{issued.course_id}/certificates/").content.decode()
    url = f"/courses/{issued.course_id}/certificates/{issued.pk}/reinstate/"
    assert f'action="{url}"' in page and 'data-history="revoked"' in page and "Sai tên" in page
    assert 'data-confirm="Reinstate certificate' in page  # with JavaScript: a dialog
    # Without JavaScript the server asks first, carrying the reason along.
    asked = client.post(url, {"reason": "Thu hồi nhầm"})
    assert asked.status_code == 200 and 'name="reason" value="Thu hồi nhầm"' in asked.content.decode()
    issued.refresh_from_db()
    assert issued.revoked_at is not None
    # An empty reason is refused with the message, nothing changes.
    refused = client.post(url, {"reason": "", "confirmed": "1"}, follow=True)
    assert "Say why the certificate is reinstated." in refused.content.decode()
    issued.refresh_from_db()
    assert issued.revoked_at is not None
    done = client.post(url, {"reason": "Thu hồi nhầm", "confirmed": "1"}, follow=True)
    html = done.content.decode()
    assert "The certificate was reinstated" in html
    issued.refresh_from_db()
    assert issued.revoked_at is None and issued.reinstated_reason == "Thu hồi nhầm"
    assert 'data-history="reinstated"' in html and "Thu hồi nhầm" in html
    assert f'action="{url}"' not in html  # valid again: revoke and re-issue are offered instead
    assert f"/courses/{issued.course_id}/certificates/{issued.pk}/reissue/" in html
    assert AuditEntry.objects.filter(verb="certificate.reinstated", target_id=str(issued.pk)).exists()
    # A second try (a stale page) says it is not revoked.
    again = client.post(url, {"reason": "Lần nữa", "confirmed": "1"}, follow=True)
    assert "This certificate is not revoked." in again.content.decode()


def test_course_page_reinstate_is_for_administrators_of_the_course_unit(client, issued, admin_user,
                                                                       tree):
    certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Sai tên")
    client.force_login(user_with_role(Role.ADMINISTRATOR, tree["province"]))
    r = client.post(f"/courses/{issued.course_id}/certificates/{issued.pk}/reinstate/",
                    {"reason": "Thu hồi nhầm", "confirmed": "1"})
    assert r.status_code == 404
    issued.refresh_from_db()
    assert issued.revoked_at is not None
