"""The style guide (staff only), the favicon route, and the header every page carries."""

import pytest
from django.urls import reverse

from backend.accounts.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_with_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in response["Cache-Control"]
    assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


def test_pages_declare_the_svg_favicon(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<link rel="icon" href="/favicon.ico" type="image/svg+xml">' in html
    assert 'class="brand-logo"' in html  # the logo is inlined: no request of its own


def test_administrators_see_every_component_in_the_style_guide(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("design-system"))
    assert response.status_code == 200
    html = response.content.decode()
    for marker in ('class="breadcrumbs"', 'class="cards"', 'class="table-stack"', 'class="errorlist"',
                   'class="badge badge-success"', 'class="alert alert-error"', 'role="progressbar"',
                   'class="empty"', 'class="icon icon-award"', 'button type="button" class="danger"'):
        assert marker in html, marker
    assert " style=" not in html
    assert html.count("aria-current=\"page\"") == 1  # the last breadcrumb


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER])
def test_others_may_not_open_the_style_guide(client, tree, role):
    client.force_login(user_with_role(role, tree["ministry"]))
    assert client.get(reverse("design-system")).status_code == 403


def test_the_style_guide_is_linked_from_the_administration_menu(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin-home")).content.decode()
    assert f'href="{reverse("design-system")}"' in html


def test_the_header_has_the_menu_language_switch_and_sign_out(client, trainee):
    client.force_login(trainee)
    html = client.get("/").content.decode()
    assert '<details class="site-menu">' in html and 'class="menu-button"' in html
    assert 'name="language"' in html and reverse("account_logout") in html
    anonymous = client.__class__().get(reverse("account_login")).content.decode()
    assert 'name="language"' in anonymous


def test_the_favicon_is_served_to_staff_who_still_have_to_set_up_totp(client, settings, tree):
    """Redirected to the TOTP set-up page, the browser's favicon request made allauth draw a new
    secret behind the one shown, so the code typed from the screen was always refused."""
    from backend.accounts.models import Role
    from tests.factories import user_with_role

    settings.MFA_REQUIRED_ROLES = ["trainer"]
    client.force_login(user_with_role(Role.TRAINER, tree["ministry"]))
    assert client.get("/").status_code == 302  # pages still wait for TOTP
    assert client.get("/favicon.ico").status_code == 200
