"""allauth hooks: who may sign up, the user's language after sign-in, and how failed sign-ins are
throttled (backend.accounts.login_limits)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from backend.accounts import login_limits


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _("Too many failed sign-in attempts. Try again later, or reset "
                                     "your password to sign in now."),
    }

    def is_open_for_signup(self, request) -> bool:
        # Accounts are created by administrators (one by one or by CSV import).
        return settings.ACCOUNT_ALLOW_SIGNUP

    def populate_username(self, request, user) -> None:
        return None

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth's `login_failed` "key" limit counts this account from this address only.
        return login_limits.address_key(request, login_limits.login_of(credentials))

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        # A successful password reset: lift the account's ceiling as well.
        super()._delete_login_attempts_cached_email(request, **credentials)
        login_limits.clear_account(request, login_limits.login_of(credentials))

    def authenticate(self, request, **credentials):
        login = login_limits.login_of(credentials)
        at_ceiling = login_limits.account_at_ceiling(request, login)
        # Per address and per account-and-address limits first (allauth, before the password).
        user = super().authenticate(request, **credentials)
        if user is None:
            login_limits.record_failure(request, login)
        elif not at_ceiling or login_limits.has_second_factor(user):
            return user
        if at_ceiling:  # the same answer for a right and a wrong password
            raise self.validation_error("too_many_login_attempts")
        return None


def user_display(user) -> str:
    """How allauth names a user in messages and its API: the full name, not the e-mail."""
    return user.full_name or user.email
