"""Every function is reachable from a menu: for each role, a crawl that starts at `/` after
signing in and follows only links reaches every page of the role's site map
(site_pages.SITE_MAP). A page nobody links to fails here, with the pages that were reached."""

from __future__ import annotations

import pytest

from tests.e2e import site_pages


@pytest.mark.parametrize("role", site_pages.ROLES)
def test_every_page_of_the_site_map_is_reachable_by_links(role, transactional_db):
    seeded = site_pages.seed_site()
    found = site_pages.reachable(role, seeded["users"])
    missing = sorted(site_pages.SITE_MAP[role] - set(found))
    reached = "\n".join(f"  {name}: {' -> '.join(chain)}" for name, chain in sorted(found.items()))
    assert missing == [], f"{role}: no chain of links from / reaches {missing}\nreached:\n{reached}"


def test_the_course_certificates_page_is_linked_from_the_course_editor(transactional_db):
    """For a trainer who also administers the course's unit (only they may issue), and not for
    a trainer alone."""
    from backend.accounts.models import Role, RoleAssignment

    seeded = site_pages.seed_site()
    course = seeded["course"]
    trainer = seeded["users"]["trainer@demo.local"]
    link = f'href="/courses/{course.pk}/certificates/"'
    client = site_pages.client_for("trainer", seeded["users"])
    assert link not in client.get(f"/teach/courses/{course.pk}/").content.decode()
    RoleAssignment.objects.create(user=trainer, role=Role.ADMINISTRATOR,
                                  organisation_id=course.organisation_id)
    page = client.get(f"/teach/courses/{course.pk}/")
    assert page.status_code == 200 and link in page.content.decode()
