"""The few signal handlers of accounts; each is one line into a service."""

from __future__ import annotations

from backend.accounts import language
from backend.accounts.services import user_set_language


def save_language_chosen_before_sign_in(sender, request, user, **kwargs) -> None:
    """Someone switched language on the sign-in page: keep that choice once they are in
    (their saved language would otherwise win over it, decision 0050)."""
    chosen = request.session.pop(language.SESSION_CHOICE_KEY, None) if request is not None else None
    if language.is_supported(chosen):
        user_set_language(user=user, language=chosen)
