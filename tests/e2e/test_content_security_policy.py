"""The Content-Security-Policy holds in real Chromium: no page of any role (found by the crawl of
site_pages.py), and none of the pages whose scripts do the most (the rich-text editor, drag-to-
reorder, the charts, the quiz player, the certificates pages, Swagger UI, Django admin), makes
the browser refuse anything. A refusal is a broken page for someone: a script that did not run,
a style that did not apply. The last test proves the watch sees a refusal when there is one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e import browsing, site_pages


def _open(browser, live_server, inventory):
    context = browsing.new_context(browser, live_server, inventory)
    watch = browsing.CspWatch(context)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return context, watch, tab


@pytest.mark.parametrize("role", site_pages.ROLES)
def test_no_page_of_a_role_is_refused_anything(role, browser, live_server, transactional_db):
    seeded = site_pages.seed_site()
    inventory = site_pages.crawl(role, seeded["users"], key_pages=seeded["key_pages"].get(role, []))
    assert len(inventory.pages) >= 5, site_pages.describe({role: inventory})
    context, watch, tab = _open(browser, live_server, inventory)
    problems: list[str] = []
    try:
        for entry in inventory.pages:
            browsing.visit(tab, entry)
            problems += [f"{entry.label}: {v}" for v in watch.take()]
    finally:
        context.close()
    assert problems == [], f"{len(problems)} refusals:\n" + "\n".join(problems)


def _course_pages(seeded) -> dict[str, str]:
    from assessments.models import Quiz

    course_id = seeded["course"].pk
    quiz = Quiz.objects.filter(course_id=course_id).order_by("pk").first()
    return {
        "editor": reverse("authoring-lesson", args=[seeded["text_lesson_id"]]),
        "structure": reverse("authoring-structure", args=[course_id]),
        "analytics": reverse("authoring-analytics", args=[course_id]),
        "statistics": reverse("quiz-statistics", args=[quiz.pk]),
        "quiz": reverse("quiz-start", args=[quiz.pk]),
        "course_certificates": reverse("course-certificates", args=[course_id]),
    }


def test_the_pages_with_the_most_script_work_under_the_policy(browser, live_server, transactional_db):
    seeded = site_pages.seed_site()
    pages = _course_pages(seeded)
    problems: list[str] = []

    context, watch, tab = _open(browser, live_server, _signed_in("trainee", seeded))
    try:
        tab.goto(pages["quiz"])
        with tab.expect_navigation():
            tab.locator("main form [type=submit]").first.click()
        tab.locator("#quiz-questions > *").first.wait_for()
        tab.locator("#quiz-questions input[type=radio], #quiz-questions input[type=checkbox]"
                    ).first.check()
        tab.wait_for_function("() => document.getElementById('quiz-save').textContent.length > 1")
        tab.locator("#quiz-submit").click()
        with tab.expect_navigation(wait_until="networkidle"):
            tab.locator("#quiz-confirm-ok").click()  # the review page: statistics now have data
        problems += [f"quiz player and review: {v}" for v in watch.take()]

        tab.goto(reverse("my-certificates"), wait_until="networkidle")
        problems += [f"my certificates: {v}" for v in watch.take()]

        tab.goto("/api/docs/")
        tab.locator(".opblock").first.wait_for()
        tab.locator(".opblock-summary").first.click()
        tab.locator(".opblock-body").first.wait_for()
        problems += [f"/api/docs/: {v}" for v in watch.take()]
    finally:
        context.close()

    context, watch, tab = _open(browser, live_server, _signed_in("trainer", seeded))
    try:
        tab.goto(pages["editor"])
        tab.locator(".ql-editor").click()
        tab.keyboard.type("Chính sách bảo mật nội dung ")
        tab.locator(".ql-toolbar button.ql-bold").click()
        tab.keyboard.type("đậm")
        assert tab.locator(".ql-editor strong", has_text="đậm").count() == 1
        problems += [f"editor: {v}" for v in watch.take()]

        tab.goto(pages["structure"])
        tab.wait_for_function("() => document.body.classList.contains('au-can-drag')")
        lessons = tab.locator("#au-modules .au-lesson .au-handle")
        lessons.nth(1).drag_to(lessons.nth(0))
        tab.wait_for_function("() => document.getElementById('reorder-status').textContent.length > 1")
        problems += [f"structure: {v}" for v in watch.take()]

        for name in ("analytics", "statistics"):
            tab.goto(pages[name])
            tab.wait_for_function("() => [...document.querySelectorAll('canvas')]"
                                  ".some(c => window.Chart && Chart.getChart(c))")
            problems += [f"{name}: {v}" for v in watch.take()]
    finally:
        context.close()

    context, watch, tab = _open(browser, live_server, _superuser_inventory(seeded))
    try:
        tab.goto(pages["course_certificates"], wait_until="networkidle")
        problems += [f"course certificates: {v}" for v in watch.take()]
        for url in ("/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"):
            tab.goto(url, wait_until="networkidle")
            assert tab.locator("#content").count(), f"{url} did not render Django admin"
            problems += [f"{url}: {v}" for v in watch.take()]
    finally:
        context.close()
    assert problems == [], f"{len(problems)} refusals:\n" + "\n".join(problems)


def _superuser_inventory(seeded) -> site_pages.Inventory:
    """The demo administrator, made staff and superuser, so Django admin opens for them."""
    user = seeded["users"][site_pages.ACCOUNTS["administrator"]]
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return _signed_in("administrator", seeded)


def _signed_in(role: str, seeded) -> site_pages.Inventory:
    """No pages, just the role's session, to hand to a browser."""
    client = site_pages.client_for(role, seeded["users"])
    client.get("/")
    from django.conf import settings

    cookies = {k: m.value for k, m in client.cookies.items() if k == settings.SESSION_COOKIE_NAME}
    return site_pages.Inventory(role, [], [], cookies)


def test_the_watch_sees_a_refusal(browser, live_server, transactional_db):
    """A page of ours with a script that has no nonce, an inline handler and a style attribute:
    the browser refuses all three and the watch reports them."""
    seeded = site_pages.seed_site()
    inventory = _signed_in("anonymous", seeded)
    context, watch, tab = _open(browser, live_server, inventory)
    try:
        tab.goto("/accounts/login/")
        tab.evaluate("""() => {
            const s = document.createElement('script'); s.textContent = 'window.ran = 1';
            document.body.append(s);
            document.body.insertAdjacentHTML('beforeend',
                '<img src="data:," onerror="window.ran = 2"><p style="color:red">x</p>');
        }""")
        tab.wait_for_timeout(300)
        found = watch.take()
        assert tab.evaluate("window.ran") is None
        directives = " ".join(found)
        assert "script-src-elem" in directives and "script-src-attr" in directives, found
        assert "style-src-attr" in directives, found
    finally:
        context.close()
