"""Start-up checks: every page's header inlines icons from npm, so a deployment without them
must fail at `manage.py check` / start, not with a 500 on the first page."""

from django.core.checks import Error, register

from frontend.templatetags.ui import icons_dir


@register()
def icon_set_installed(app_configs, **kwargs):
    if (icons_dir() / "menu.svg").is_file():
        return []
    return [Error(f"The icon set is missing: {icons_dir()} (npm package lucide-static).",
                  hint="Run `make install` (npm ci in frontend/).", id="frontend.E001")]
