"""Driving Chromium over the pages of site_pages: one context per role (the crawl's signed-in
session handed to the browser), a visit that can send a form, and in-page checks (axe-core, width
at 360 px, the text scripts wrote, Content-Security-Policy violations)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from tests.e2e.site_pages import Inventory, Page

AXE = Path(settings.BASE_DIR) / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
BLOCKING = ("serious", "critical")


def new_context(browser, live_server, inventory: Inventory, *, viewport=DESKTOP, **options):
    options.setdefault("locale", "vi-VN")
    context = browser.new_context(base_url=live_server.url, viewport=viewport, **options)
    context.add_cookies([{"name": name, "value": value, "url": live_server.url}
                         for name, value in inventory.cookies.items()])
    return context


def visit(tab, entry: Page, *, wait_until: str = "load"):
    """Open the page; for a form page, fill the form as the crawl sent it and submit it."""
    response = tab.goto(entry.url, wait_until=wait_until)
    if entry.form is None:
        _scripts_done(tab, wait_until)
        return response
    for name, value in entry.form.items():
        field = tab.locator(f"main [name='{name}']").first
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    first = next(iter(entry.form))
    with tab.expect_navigation(wait_until=wait_until) as navigation:
        tab.locator(f"main form:has([name='{first}']) [type=submit]").first.click()
    _scripts_done(tab, wait_until)
    return navigation.value


def _scripts_done(tab, wait_until: str) -> None:
    """A page with scripts may build part of itself after "load" (the H5P player's iframe, the
    quiz questions): let its requests finish first. Pages without scripts do not pay the wait."""
    if wait_until != "networkidle" and tab.locator("script[src]").count():
        tab.wait_for_load_state("networkidle")


def axe_violations(tab) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    # Into every frame too (the H5P player's iframe): axe then reports their findings as well.
    # Evaluated by the browser's debugger, not added as a <script>: the page's Content-Security-Policy
    # (nonce-only scripts) rightly refuses an injected script tag.
    source = AXE.read_text(encoding="utf-8")
    for frame in tab.frames:
        try:
            frame.evaluate(source)
        except Exception:  # a frame that went away or is not ours
            if frame is tab.main_frame:
                raise
    return tab.evaluate("""async (blocking) => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => blocking.includes(v.impact)).map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.slice(0, 4).map(n => n.target.join(' ')),
        }));
    }""", list(BLOCKING))


def phone_overflow(tab) -> list[str] | None:
    """None if the page fits 360 px; else the elements that stick out (the widest first)."""
    tab.set_viewport_size(PHONE)
    try:
        # Scripts that size things to the window (Chart.js) follow a resize a frame or two later;
        # what still sticks out a moment later is real.
        for pause_ms in (30, 300):
            settle(tab, pause_ms)
            found = _sticking_out(tab)
            if found is None:
                return None
        return found
    finally:
        tab.set_viewport_size(DESKTOP)


def settle(tab, ms: int = 30) -> None:
    """Two animation frames and a pause: time for scripts to follow a change of window size."""
    tab.evaluate("""(ms) => new Promise(done => requestAnimationFrame(
        () => requestAnimationFrame(() => setTimeout(done, ms))))""", ms)


def _sticking_out(tab) -> list[str] | None:
    return tab.evaluate("""() => {
            const width = window.innerWidth;
            if (document.documentElement.scrollWidth <= width) return null;
            const out = [];
            for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.right > width + 1 && r.width > 0) {
                    out.push([Math.round(r.right), el.tagName.toLowerCase()
                        + (el.id ? '#' + el.id : '')
                        + (el.className && typeof el.className === 'string'
                           ? '.' + el.className.trim().split(/\\s+/).join('.') : '')]);
                }
            }
            out.sort((a, b) => b[0] - a[0]);
            return [`scrollWidth ${document.documentElement.scrollWidth}`,
                    ...out.slice(0, 4).map(([right, what]) => `${what} (right edge ${right})`)];
        }""")


def shown_text(tab) -> str:
    """The page's text as the browser has it now (scripts included), in the page's language:
    elements marked with another lang, code samples, scripts and styles left out."""
    return tab.evaluate("""() => {
        const own = document.documentElement.lang, out = [];
        const skipTags = ['SCRIPT', 'STYLE', 'CODE', 'PRE', 'KBD', 'SAMP', 'IFRAME'];
        const walk = (node) => {
            if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
            if (node.nodeType !== Node.ELEMENT_NODE || skipTags.includes(node.tagName)) return;
            const lang = node.getAttribute('lang');
            if (lang && lang !== own) return;
            for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
                if (node.getAttribute(name)) out.push(node.getAttribute(name));
            }
            for (const child of node.childNodes) walk(child);
        };
        walk(document.body);
        out.push(document.title);
        return out.join(' ').replace(/\\s+/g, ' ');
    }""")


def is_local(url: str, live_server_url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.netloc == urlsplit(live_server_url).netloc


_CSP_LISTENER = """document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolation([location.href, e.effectiveDirective, e.blockedURI,
                           e.sourceFile + ':' + e.lineNumber, e.sample].join(' | '));
});"""


class CspWatch:
    """Content-Security-Policy violations in every page and frame of a browser context, as the
    `securitypolicyviolation` events report them (Chromium's own "Refused to ..." console lines
    do not reach Playwright's console event)."""

    def __init__(self, context):
        self._found: list[str] = []
        context.expose_function("__cspViolation", self._event)
        context.add_init_script(_CSP_LISTENER)

    def _event(self, text: str) -> None:
        self._found.append(text)

    def take(self) -> list[str]:
        """What was found since the last call."""
        found, self._found[:] = list(self._found), []
        return found
