"""'My certificates' offers the signed Open Badges credential: the link downloads it with the
holder's session; a revoked certificate offers none."""

import json

from django.urls import reverse

from certificates.services import certificate_issue, certificate_revoke
from tests.certificates.factories import certificate_course, complete, make_template
from tests.e2e.catalogue import vietnamese


def test_my_certificates_links_the_signed_credential(client, tree, trainee, admin_user):
    make_template(tree["central"])
    course = certificate_course(tree["ministry"], title="Lễ tân ngoại giao")
    complete(course, trainee)
    certificate = certificate_issue(user_id=trainee.pk, course_id=course.pk)[0]
    client.force_login(trainee)
    page = client.get(reverse("my-certificates")).content.decode()
    link = reverse("api-certificate-credential", args=[certificate.pk]) + "?download=1"
    assert f'href="{link}"' in page
    assert vietnamese("Download the digital credential (Open Badges)") in page
    response = client.get(link)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    certificate_revoke(actor=admin_user, certificate_id=certificate.pk, reason="Cấp nhầm")
    assert link not in client.get(reverse("my-certificates")).content.decode()
