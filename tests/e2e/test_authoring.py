"""A trainer builds a small course in Chromium: module, a text lesson typed in the rich-text
editor, a second lesson, reorder (drag, then the keyboard buttons), preview, publish; the demo
trainee then finds it among the published courses they may see."""


from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from courses.models import Course, Enrolment
from tests.e2e.conftest import screenshot, sign_in

TITLE = "Kỹ năng viết tin bài đối ngoại"


def _lesson_titles(page) -> list[str]:
    return [t.strip() for t in page.locator(".au-lesson .au-lesson-title > a").all_inner_texts()]


def _add_lesson(page, title: str) -> None:
    form = page.locator("form.au-add-lesson").first
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=kind]").select_option("text")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_trainer_builds_previews_and_publishes_a_course(page, transactional_db, settings):
    settings.MFA_REQUIRED_ROLES = []  # as in demo mode
    seed_accounts()
    sign_in(page, "trainer@demo.local", DEMO_PASSWORD)
    page.goto("/teach/")
    page.click("a[href='/teach/courses/new/']")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Viết tin, bài giới thiệu Việt Nam với bạn đọc nước ngoài.")
    page.check("#id_self_enrolment")
    page.click("form.au-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    course = Course.objects.get(title=TITLE)
    assert page.url.endswith(f"/teach/courses/{course.pk}/")

    page.fill("#new-module-title", "Chuyên đề 1: Nguyên tắc chung")
    page.click("form.au-add-module button[type=submit]")
    page.wait_for_load_state("networkidle")
    _add_lesson(page, "Bài 1: Cấu trúc một tin bài")
    assert "/teach/lessons/" in page.url

    # The rich-text editor (Quill) replaces the textarea; type into it like a trainer would.
    editor = page.locator("#body-editor .ql-editor")
    editor.click()
    page.keyboard.type("Tin bài đối ngoại cần ")
    page.keyboard.press("Control+b")
    page.keyboard.type("chính xác, kịp thời")
    page.keyboard.press("Control+b")
    page.keyboard.type(" và hấp dẫn.")
    assert page.locator("textarea[data-rich-text]").is_hidden()
    screenshot(page, "authoring-lesson-editor")
    page.click("#lesson-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    saved = page.locator(".au-saved .lesson-body")
    assert "chính xác, kịp thời" in saved.inner_text()
    assert saved.locator("strong").inner_text() == "chính xác, kịp thời"

    page.goto(f"/teach/courses/{course.pk}/")
    _add_lesson(page, "Bài 2: Tiêu đề và sa-pô")
    page.goto(f"/teach/courses/{course.pk}/")
    assert _lesson_titles(page) == ["Bài 1: Cấu trúc một tin bài", "Bài 2: Tiêu đề và sa-pô"]

    # Drag the second lesson above the first (SortableJS), saved through the reorder endpoint.
    second, first = page.locator(".au-lesson").nth(1), page.locator(".au-lesson").nth(0)
    second.locator(".au-handle").drag_to(first, target_position={"x": 20, "y": 2})
    page.locator("#reorder-status.au-ok").wait_for()
    page.reload()
    assert _lesson_titles(page) == ["Bài 2: Tiêu đề và sa-pô", "Bài 1: Cấu trúc một tin bài"]
    # ...and back with the keyboard alternative: focus the Up button of "Bài 1", press Enter.
    page.locator(".au-lesson").nth(1).locator("button[value=up]").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert _lesson_titles(page) == ["Bài 1: Cấu trúc một tin bài", "Bài 2: Tiêu đề và sa-pô"]
    screenshot(page, "authoring-structure")
    screenshot(page, "authoring-structure", phone=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})

    # Preview as trainee: the draft, nothing recorded.
    page.click(f"a[href='/teach/courses/{course.pk}/preview/']")
    page.wait_for_load_state("networkidle")
    assert "Bài 2: Tiêu đề và sa-pô" in page.inner_text("main")
    page.click("text=Bài 1: Cấu trúc một tin bài")
    page.wait_for_load_state("networkidle")
    assert "chính xác, kịp thời" in page.inner_text(".lesson-body")
    screenshot(page, "authoring-preview", phone=True)
    assert not Enrolment.objects.exists()

    # Publish, after the confirm page that says what changes.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/teach/courses/{course.pk}/publish/")
    assert "Thêm 2 bài học" in page.inner_text("main")  # "2 lessons added", in Vietnamese
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    course.refresh_from_db()
    assert course.status == "published" and course.release == 1
    page.goto(f"/teach/courses/{course.pk}/analytics/")
    screenshot(page, "authoring-analytics")
    screenshot(page, "authoring-analytics", phone=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The demo trainee (in a mission under the course's unit) now sees it.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    catalogue = page.request.get(f"/api/v1/courses/?search={TITLE}")
    assert catalogue.ok
    found = [c for c in catalogue.json()["results"] if c["id"] == course.pk]
    assert found and found[0]["title"] == TITLE and found[0]["status"] == "published"
    # What trainees read is the published snapshot, in the order the trainer left.
    assert [ls["title"] for m in course.published["modules"] for ls in m["lessons"]] == [
        "Bài 1: Cấu trúc một tin bài", "Bài 2: Tiêu đề và sa-pô"]
