"""The site's page inventory for the quality checks (accessibility, translations, page weight).

Pages are not listed by hand: the demo site is seeded, then, per role, the Django test client
crawls same-origin links (GET only, bounded depth and count) from the role's start pages and
from every url name of the frontend url modules that takes no argument. Pages that land later
on other branches (quiz player, certificates) are therefore found without editing this file.

Dedupe: at most PER_NAME urls per resolved url name (lesson 12 and lesson 13 are one template).
Extra pages no link leads to: the 404 page and a form sent back with a validation error.
POST-only forms are never sent, except the ones in FOLLOW_FORMS (starting a quiz attempt),
whose result page (the quiz player) is a page a person spends time on.
"""

from __future__ import annotations

import html
import importlib
import inspect
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, resolve, reverse

ROLES = ("anonymous", "trainee", "trainer", "administrator")
ACCOUNTS = {"trainee": "trainee@demo.local", "trainer": "trainer@demo.local",
            "administrator": "admin@demo.local"}
START_PAGES = {"anonymous": ["/", "/accounts/login/"]}
SIGNED_IN_START_PAGES = ["/", "/profile/"]

MAX_DEPTH = 3
MAX_PAGES = 45  # per role
PER_NAME = 2

# Seeders of apps that may not be merged yet: every `seed_*` function of these modules runs,
# with the arguments its signature names (users, course_id, course).
OPTIONAL_SEEDERS = ("assessments.demo", "certificates.demo")

SKIP_PREFIXES = ("/api/", "/admin/", "/_allauth/", "/i18n/")
SKIP_WORDS = ("logout", "download", "export", "delete", "remove", "revoke", "unenrol", "leave")
SKIP_SUFFIXES = (".xlsx", ".csv", ".pdf", ".zip", ".json", ".png", ".jpg", ".svg", ".h5p", ".xml",
                 ".txt")
# POST forms whose action resolves to one of these url names are sent once per role.
FOLLOW_FORMS = ("quiz-start-attempt",)

NOT_FOUND_URL = "/khong-co-trang-nay/"


@dataclass
class Page:
    role: str
    url: str
    name: str                      # resolved url name, "404" for the not-found page
    status: int = 200
    form: dict | None = None       # sent as POST: a page showing a validation error
    html: str = field(default="", repr=False)  # as first rendered (Vietnamese)

    @property
    def label(self) -> str:
        return f"{self.role} {self.url}{' (form error)' if self.form is not None else ''}"


@dataclass
class Inventory:
    role: str
    pages: list[Page]
    server_errors: list[str]       # urls that answered 5xx during the crawl
    cookies: dict[str, str]        # the signed-in session, to hand to a browser


# --- Seeding --------------------------------------------------------------------------------

def seed_site() -> dict:
    """The demo site (accounts, course, H5P, quizzes and certificates where merged), with the demo
    trainee enrolled and part-way through the course, so progress and results show."""
    from backend.accounts.demo import seed_accounts
    from courses.demo import seed_course
    from courses.h5p.demo import seed_h5p
    from courses.scorm.demo import seed_scorm

    users = seed_accounts()
    course = seed_course(users)
    h5p = seed_h5p(users, course.pk)
    scorm = seed_scorm(users, course.pk)
    seeded = ["accounts", "course", "h5p", "scorm"]
    args = {"users": users, "course_id": course.pk, "course": course}
    for module_name in OPTIONAL_SEEDERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("seed_") and function.__module__ == module_name:
                params = inspect.signature(function).parameters
                function(**{p: args[p] for p in params if p in args})
                seeded.append(f"{module_name}.{name}")
    _start_learning(users["trainee@demo.local"], course.pk)
    lesson_id = text_lesson_id(course.pk)
    key_pages = {"trainee": [reverse("lesson", args=[lesson_id]),
                             reverse("h5p-player", args=[h5p.lesson_id]),
                             reverse("scorm-player", args=[scorm.lesson_id]), *_quiz_pages(course.pk)]}
    return {"users": users, "course": course, "text_lesson_id": lesson_id,
            "h5p_lesson_id": h5p.lesson_id, "scorm_lesson_id": scorm.lesson_id, "key_pages": key_pages,
            "seeded": seeded}


def _start_learning(trainee, course_id: int) -> None:
    """Enrol the trainee and finish the first module's lessons (reading by hand, activities with
    a full score), so progress shows and what follows the module (a quiz) is open."""
    from courses.api import lesson_record_result
    from courses.enrolments import enrolment_self
    from courses.learning import lesson_complete
    from courses.models import Lesson

    enrolment_self(user=trainee, course_id=course_id)
    first = Lesson.objects.filter(course_id=course_id).order_by("module__position").first()
    for lesson in Lesson.objects.filter(module_id=first.module_id).order_by("position"):
        if lesson.kind in ("text", "video", "file"):
            lesson_complete(user=trainee, lesson_id=lesson.pk)
        elif lesson.kind in ("h5p", "scorm"):
            lesson_record_result(user_id=trainee.pk, lesson_id=lesson.pk, score=1.0, completed=True)


def _quiz_pages(course_id: int) -> list[str]:
    """The first quiz's start page, when the quiz pages exist (its form leads to the player)."""
    try:
        from assessments.models import Quiz

        quiz = Quiz.objects.filter(course_id=course_id).order_by("pk").first()
        return [reverse("quiz-start", args=[quiz.pk])] if quiz else []
    except (ImportError, NoReverseMatch):
        return []


def text_lesson_id(course_id: int) -> int:
    from courses.models import Lesson

    return Lesson.objects.filter(course_id=course_id, kind="text").order_by(
        "module__position", "position").values_list("pk", flat=True).first()


# --- Discovery --------------------------------------------------------------------------------

def argument_free_urls() -> list[str]:
    """Every named url of frontend.urls that takes no argument."""
    import frontend.urls

    found: list[str] = []

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern) and entry.name:
                if entry.pattern.regex.groups:
                    continue
                try:
                    found.append(reverse(entry.name))
                except NoReverseMatch:
                    continue

    walk(frontend.urls.urlpatterns)
    return found


def skipped(url: str) -> bool:
    path = urlsplit(url).path
    h5p_files = urlsplit(settings.H5P_CONTENT_URL).path
    scorm_files = urlsplit(settings.SCORM_CONTENT_URL).path
    prefixes = (*SKIP_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL, h5p_files, scorm_files)
    lowered = path.lower()
    return (path.startswith(prefixes) or lowered.endswith(SKIP_SUFFIXES)
            or any(word in lowered for word in SKIP_WORDS))


def url_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


_LINK = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]+)\"", re.I)
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)
_ATTR = re.compile(r"\b([\w-]+)=\"([^\"]*)\"")
_INPUT = re.compile(r"<input\b([^>]*)>", re.I)


def links(base: str, body: str) -> list[str]:
    out = []
    for raw in _LINK.findall(body):
        target = urljoin(base, html.unescape(raw))
        parts = urlsplit(target)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue  # another origin, mailto:, javascript:
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def followed_forms(base: str, body: str) -> list[tuple[str, dict]]:
    """POST forms of FOLLOW_FORMS on a page: (action, hidden fields)."""
    out = []
    for attrs, inner in _FORM.findall(body):
        attr = dict(_ATTR.findall(attrs))
        if attr.get("method", "get").lower() != "post":
            continue
        action = urljoin(base, html.unescape(attr.get("action", base)))
        if url_name(action) not in FOLLOW_FORMS:
            continue
        data = {}
        for field_attrs in _INPUT.findall(inner):
            f = dict(_ATTR.findall(field_attrs))
            if f.get("type") == "hidden" and f.get("name") != "csrfmiddlewaretoken":
                data[f["name"]] = html.unescape(f.get("value", ""))
        out.append((action, data))
    return out


def client_for(role: str, users: dict | None = None, *, language: str = "vi") -> Client:
    client = Client()
    if role != "anonymous":
        from backend.accounts.models import User

        user = (users or {}).get(ACCOUNTS[role]) or User.objects.get(email=ACCOUNTS[role])
        # A signed-in person's saved language decides (decision 0050); the cookie is the
        # switch's, for the pages of someone not signed in.
        user.language = language
        user.save(update_fields=["language"])  # a save, which the auth cache sees (decision 0069)
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def crawl(role: str, users: dict | None = None, *, key_pages: list[str] = (),
          max_pages: int = MAX_PAGES, max_depth: int = MAX_DEPTH) -> Inventory:
    """Pages of one role. key_pages are visited first, so they are among the PER_NAME kept."""
    client = client_for(role, users)
    starts = [*START_PAGES.get(role, SIGNED_IN_START_PAGES), *key_pages, *argument_free_urls()]
    queue = deque((url, 0) for url in starts)
    seen: set[str] = set()
    per_name: Counter = Counter()
    followed: set[str] = set()
    pages: list[Page] = []
    errors: list[str] = []
    while queue and len(pages) < max_pages:
        url, depth = queue.popleft()
        if url in seen or skipped(url):
            continue
        seen.add(url)
        name = url_name(url)
        if name is None or per_name[name] >= PER_NAME:
            continue
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{url} -> {response.status_code}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            if urlsplit(target).netloc in ("", "testserver"):
                queue.appendleft((urlsplit(target).path + (
                    f"?{urlsplit(target).query}" if urlsplit(target).query else ""), depth))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        if response.status_code >= 400:
            # A refusal page is the same whatever url refused: dedupe by status and template.
            template = response.templates[0].name if response.templates else ""
            if per_name[(response.status_code, template)] >= PER_NAME:
                continue
            per_name[(response.status_code, template)] += 1
        per_name[name] += 1
        body = response.content.decode()
        pages.append(Page(role, url, name, response.status_code, html=body))
        for action, data in followed_forms(url, body):
            if url_name(action) in followed:
                continue
            followed.add(url_name(action))
            result = client.post(action, data)
            if result.status_code in (302, 303):
                queue.appendleft((urljoin(action, result["Location"]), depth))
        if depth < max_depth:
            queue.extend((link, depth + 1) for link in links(url, body))
    pages += _extra_pages(client, role)
    cookies = {key: morsel.value for key, morsel in client.cookies.items()
               if key == settings.SESSION_COOKIE_NAME}
    return Inventory(role, pages, errors, cookies)


def _extra_pages(client: Client, role: str) -> list[Page]:
    """Pages no link leads to: the 404 page and a form with a validation error."""
    missing = client.get(NOT_FOUND_URL)
    extra = [Page(role, NOT_FOUND_URL, "404", missing.status_code, html=missing.content.decode())]
    if role == "anonymous":
        form_url, form = "/accounts/login/", {"login": "trainee@demo.local", "password": "sai-mat-khau"}
    else:
        form_url, form = "/profile/", {"full_name": "", "language": "vi"}
    sent = client.post(form_url, form)
    extra.append(Page(role, form_url, url_name(form_url), sent.status_code, form=form,
                      html=sent.content.decode()))
    return extra


def discover(site: dict) -> dict[str, Inventory]:
    """Every role's pages on a site made by seed_site()."""
    return {role: crawl(role, site["users"], key_pages=site["key_pages"].get(role, []))
            for role in ROLES}


def frontend_url_names() -> dict[str, str]:
    """Every named url of frontend.urls: name -> route."""
    import frontend.urls

    found: dict[str, str] = {}

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                found[entry.name] = "/" + prefix + str(entry.pattern)

    walk(frontend.urls.urlpatterns)
    return found


def unreached(inventories: dict[str, Inventory]) -> dict[str, str]:
    """Frontend urls no role reached: POST-only actions (expected), or pages no link leads to
    (a link is missing or names a url that does not exist). Reported, never failed: which
    ones are actions is for each area to say."""
    reached = {p.name for inventory in inventories.values() for p in inventory.pages}
    return {name: route for name, route in frontend_url_names().items()
            if name not in reached and not skipped(route)}


def describe(inventories: dict[str, Inventory]) -> str:
    lines = []
    for role, inventory in inventories.items():
        lines.append(f"{role}: {len(inventory.pages)} pages")
        lines += [f"  {p.status} {p.name:32} {p.url}{' [POST form error]' if p.form else ''}"
                  for p in inventory.pages]
        lines += [f"  SERVER ERROR {e}" for e in inventory.server_errors]
    return "\n".join(lines)


# --- Reachability: every page of a role's site map is a chain of links away from `/` ----------

# The pages each role must find from a menu (url names). A page here that no chain of links from
# `/` reaches, after signing in, fails tests/e2e/test_reachability.py. Add a page when you add
# one; actions (POST-only) and files are not pages.
SITE_MAP = {
    "anonymous": {"home", "verify-form"},  # the catalogue asks to sign in first
    "trainee": {"home", "profile", "notifications", "notification-preferences", "catalogue",
                "course-detail", "course-outline", "my-courses",
                "lesson", "h5p-player", "scorm-player", "quiz-start", "my-certificates"},
    "trainer": {"home", "profile", "notifications", "notification-preferences", "catalogue",
                "authoring-home", "authoring-create",
                "authoring-structure", "authoring-settings", "authoring-publish",
                "authoring-preview", "authoring-analytics", "authoring-lesson", "qbank-list",
                "qbank-detail", "qbank-import", "quiz-authoring-home", "quiz-edit",
                "quiz-statistics", "quiz-grading", "quiz-overrides"},
    "administrator": {"home", "profile", "notifications", "notification-preferences",
                      "admin-home", "admin-users", "admin-user-create",
                      "admin-user", "admin-import", "admin-units", "admin-unit-create",
                      "admin-unit-edit", "admin-cohorts", "admin-cohort-create", "admin-cohort",
                      "admin-enrolments", "admin-report", "admin-audit", "admin-certificates",
                      "admin-notification-defaults", "admin-certificate-template-create",
                      "admin-certificate-template",
                      "course-certificates", "admin-user-accommodation", "admin-enrolment-due"},
}
REACH_MAX_PAGES = 400
REACH_PER_NAME = 6  # lessons of several kinds share a url name; the H5P player hangs off one


def reachable(role: str, users: dict | None = None) -> dict[str, list[str]]:
    """url name -> the chain of urls from `/` that reached it, following <a href> only (no typed
    url, no url-name seeds, no form), one page per url name."""
    client = client_for(role, users)
    queue = deque([("/", ["/"])])
    seen: set[str] = set()
    found: dict[str, list[str]] = {}
    per_name: Counter = Counter()
    fetched = 0
    while queue and fetched < REACH_MAX_PAGES:
        url, chain = queue.popleft()
        if url in seen or skipped(url):
            continue
        seen.add(url)
        name = url_name(url)
        if name is None or per_name[name] >= REACH_PER_NAME:
            continue
        per_name[name] += 1
        response = client.get(url)
        fetched += 1
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            parts = urlsplit(target)
            if parts.netloc in ("", "testserver"):
                queue.appendleft((parts.path + (f"?{parts.query}" if parts.query else ""), chain))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        found.setdefault(name, chain)
        queue.extend((link, [*chain, link]) for link in links(url, response.content.decode()))
    return found


# --- Empty lists: every list page as a new site shows it ------------------------------------

# Per role, list pages (url name, query) that show the design system's empty state (`.empty`)
# on a site with the demo accounts and nothing else. A search that matches nothing is the way
# to empty a list the demo accounts themselves fill (people, cohorts, the audit log).
EMPTY_LIST_PAGES = {
    "trainee": [("home", ""), ("catalogue", ""), ("my-courses", ""), ("my-certificates", "")],
    "trainer": [("home", ""), ("authoring-home", ""), ("qbank-list", ""),
                ("quiz-authoring-home", "")],
    "administrator": [("home", ""), ("admin-users", "?q=khong-co-ai-ten-nay"),
                      ("admin-cohorts", "?q=khong-co-lop-nay"), ("admin-enrolments", ""),
                      ("admin-certificates", ""),
                      ("admin-audit", "?actor=khong-co-ai-ten-nay")],
}


def empty_list_pages() -> dict[str, list[str]]:
    """role -> the urls of EMPTY_LIST_PAGES, plus the lists that hang off one object (a cohort's
    members, a bank's questions, a course's certificates), made empty for the purpose. Seeds the
    demo accounts; call it before empty_object_lists() (which adds a draft course, so the
    catalogue and the trainer's course list are empty only before it)."""
    from backend.accounts.demo import seed_accounts

    seed_accounts()
    return {role: [reverse(name) + query for name, query in pages]
            for role, pages in EMPTY_LIST_PAGES.items()}


def empty_object_lists() -> dict[str, list[str]]:
    """An empty cohort, an empty question bank, a draft course without certificates, one without
    modules, an H5P lesson without its package and a person with no role and no cohort, in the demo
    trainer's unit: role -> the urls of their (empty) lists."""
    from assessments.services import bank_create
    from backend.accounts.models import Cohort, User
    from courses.services import course_create, lesson_create, module_create

    trainer = User.objects.get(email=ACCOUNTS["trainer"])
    unit = trainer.organisation
    cohort = Cohort.objects.create(name="Lớp chưa có ai", code="LOP-TRONG", organisation=unit)
    bank = bank_create(actor=None, title="Ngân hàng trống", organisation=unit.code)
    course = course_create(actor=None, organisation_id=unit.pk, title="Khóa học chưa cấp giấy",
                           issues_certificate=True)
    bare = course_create(actor=None, organisation_id=unit.pk, title="Khóa học chưa có học phần")
    with_h5p = course_create(actor=None, organisation_id=unit.pk, title="Khóa học có bài H5P")
    module = module_create(actor=None, course_id=with_h5p.pk, title="Học phần 1")
    h5p = lesson_create(actor=None, module_id=module.pk, kind="h5p", title="Bài tương tác")
    newcomer = User.objects.create_user(email="chua-co-vai-tro@demo.local", password=None,
                                        full_name="Người Chưa Có Vai Trò", organisation=unit)
    return {"trainer": [reverse("qbank-detail", args=[bank.pk]),
                        reverse("authoring-structure", args=[bare.pk]),
                        reverse("h5p-player", args=[h5p.pk])],
            "administrator": [reverse("admin-cohort", args=[cohort.pk]),
                              reverse("course-certificates", args=[course.pk]),
                              reverse("admin-user", args=[newcomer.pk])]}


def signed_in(role: str) -> Inventory:
    """No pages, only the role's signed-in session (for browsing.new_context)."""
    client = client_for(role)
    cookies = {key: morsel.value for key, morsel in client.cookies.items()
               if key == settings.SESSION_COOKIE_NAME}
    return Inventory(role, [], [], cookies)
