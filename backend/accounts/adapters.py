"""allauth hooks: who may sign up, and the user's language after sign-in."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created by administrators (one by one or by CSV import).
        return settings.ACCOUNT_ALLOW_SIGNUP

    def populate_username(self, request, user) -> None:
        return None


def user_display(user) -> str:
    """How allauth names a user in messages and its API: the full name, not the e-mail."""
    return user.full_name or user.email
