"""The header's main menu: which entries a person sees and which one is the current section.

A pure module: `main_menu(path, roles)` takes the request path and the person's role names and
returns the entries, so the rule is tested without a request. Sections are chosen by path prefix
(the longest one wins), because every area of the site lives under its own prefix (frontend/urls*.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from backend.accounts.api import Role


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    url: str
    current: str | None  # "page" on the entry's own page, "true" elsewhere in its section, else None


# key, url name, label, role needed (None: anyone signed in), path prefixes of its section
_ENTRIES = (
    ("home", "home", _("Start"), None, ()),
    ("catalogue", "catalogue", _("Courses"), None, ("/courses/",)),
    ("my-courses", "my-courses", _("My courses"), None, ("/my/courses/", "/learn/", "/quiz/")),
    ("teaching", "authoring-home", _("Teaching"), Role.TRAINER, ("/teach/",)),
    ("admin", "admin-home", _("Administration"), Role.ADMINISTRATOR, ("/manage/",)),
    ("certificates", "my-certificates", _("My certificates"), None, ("/certificates/",)),
)
# Pages under another entry's prefix that belong elsewhere: a course's learning outline is the
# trainee's "my courses"; a course's certificates page and a quiz's grading queue are run by
# trainers and administrators.
_SECTION_EXCEPTIONS = (
    ("/courses/", "/learn/", "my-courses"),
    ("/courses/", "/certificates/", "teaching"),
    ("/quiz/", "/grading/", "teaching"),
)


def active_section(path: str) -> str | None:
    """The menu key of the section a path belongs to, or None (profile, sign-in, verify…)."""
    if path == "/":
        return "home"
    for prefix, part, key in _SECTION_EXCEPTIONS:
        if path.startswith(prefix) and part in path[len(prefix):]:
            return key
    best, best_len = None, 0
    for key, _name, _label, _role, prefixes in _ENTRIES:
        for prefix in prefixes:
            if path.startswith(prefix) and len(prefix) > best_len:
                best, best_len = key, len(prefix)
    return best


_urls: dict[tuple, str | None] = {}


def _url(name: str) -> str | None:
    """reverse(name), or None for an area switched off in this deployment; worked out once per
    script prefix and URLconf (every page builds the menu)."""
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name)
    if key not in _urls:
        try:
            _urls[key] = reverse(name)
        except NoReverseMatch:
            _urls[key] = None
    return _urls[key]


def main_menu(path: str, roles: list[str]) -> list[MenuEntry]:
    section = active_section(path)
    if section == "teaching" and "trainer" not in roles and "administrator" in roles:
        section = "admin"  # a course's certificates page, opened by an administrator
    entries = []
    for key, url_name, label, role, _prefixes in _ENTRIES:
        if role is not None and role not in roles:
            continue
        url = _url(url_name)
        if url is None:  # an area switched off in this deployment
            continue
        current = "page" if url == path else ("true" if key == section else None)
        entries.append(MenuEntry(key=key, label=str(label), url=url, current=current))
    return entries
