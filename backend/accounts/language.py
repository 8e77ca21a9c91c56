"""Which language a request is answered in (decision 0050).

Pages: the signed-in person's saved language, else the language switch (its cookie), else
Vietnamese. The browser's Accept-Language is never used for pages: embassy staff in Paris or
Tokyo run French or Japanese browsers that list English as a fallback, and Django's own
negotiation would show them English.

API (/api/, /_allauth/): the same, and before falling back to Vietnamese, the FIRST language of
Accept-Language when it is one we speak (`en-US,en;q=0.9` -> English; `fr-FR,fr;q=0.9,en;q=0.8`
-> Vietnamese). An outside client states its language there; a browser session keeps the
language of its pages, so the messages a page's script shows match the page.

Pure functions, no request or ORM: the middleware reads the inputs and calls `resolve`.
"""

from __future__ import annotations

from django.conf import settings

API_PREFIXES = ("/api/", "/_allauth/")
# Set by the language switch for someone not signed in, saved to their profile at sign-in.
SESSION_CHOICE_KEY = "language_chosen"


def supported() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def is_supported(code: str | None) -> bool:
    return bool(code) and code in supported()


def first_accept_language(header: str | None) -> str | None:
    """The language the client prefers most, if we speak it: 'en-US,en;q=0.9' -> 'en'.
    Only the top preference counts (ties keep the header's order); a fallback never does."""
    best, best_q = None, -1.0
    for item in (header or "").split(","):
        tag, _sep, params = item.strip().partition(";")
        tag = tag.strip().lower()
        if not tag or tag == "*":
            continue
        q = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = tag, q
    if best is None or best_q <= 0:
        return None
    primary = best.split("-")[0]
    return primary if is_supported(primary) else None


def resolve(*, saved: str | None, chosen: str | None, accept_language: str | None,
            api: bool) -> str:
    """saved (signed-in) -> chosen (the switch) -> [API only: first Accept-Language] -> default."""
    candidates = [saved, chosen]
    if api:
        candidates.append(first_accept_language(accept_language))
    for code in candidates:
        if is_supported(code):
            return code
    return settings.LANGUAGE_CODE


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)
