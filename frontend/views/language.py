"""The language switch in every page's header (decision 0050).

Django's own `set_language` view sets the cookie and redirects back to `next`; on top of it the
choice is saved to the profile of a signed-in person (their saved language wins over the
cookie), and for someone not signed in it is kept in the session too, so that signing in right
after saves it rather than switching them back to their profile's language.
"""

from __future__ import annotations

from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from backend.accounts import api as accounts_api
from backend.accounts.api import user_set_language


@require_POST
def switch(request):
    response = set_language(request)
    chosen = request.POST.get("language")
    if accounts_api.language_is_supported(chosen):
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=chosen)
        else:
            request.session[accounts_api.LANGUAGE_SESSION_KEY] = chosen
    return response
