"""Throttling failed sign-ins without handing strangers a way to lock an account
(docs/administration.md, "Sign-in throttling").

allauth's `login_failed` limit ("10/m/ip,5/5m/key") is kept, with its key narrowed from the
account to the account *and the address*: each address gets 5 failures per 5 minutes per account
(and 10 a minute overall), so an attacker's failures lock out the attacker's address, not the owner.

Guessing one account from many addresses is bounded by `login_failed_account` (per account, all
addresses, default 100 an hour). At that ceiling, wrong and right passwords get the same "too many
attempts" answer, unless the account has TOTP: then the right password goes on to the TOTP step,
which allauth limits per user (5 per 5 minutes), so a stranger never blocks password + TOTP. A
successful password reset clears the ceiling (the reset link proves the mailbox).
"""

from __future__ import annotations

from allauth.core import ratelimit
from allauth.core.internal.ratelimit import get_ip
from allauth.mfa.models import Authenticator
from django.contrib.sites.shortcuts import get_current_site

ACCOUNT_ACTION = "login_failed_account"
APP = "allauth.account"


def login_of(credentials: dict) -> str:
    return (credentials.get("email") or credentials.get("username") or "").strip().lower()


def address_key(request, login: str) -> str:
    """The key of allauth's `login_failed` limit: this account from this address."""
    return f"{_account_key(request, login)}@{get_ip(request)}"


def _account_key(request, login: str) -> str:
    return f"{get_current_site(request).domain}:{login}"


def account_at_ceiling(request, login: str) -> bool:
    """Has this account had as many failures (from anywhere) as `login_failed_account` allows?"""
    return not ratelimit.consume(request, action=ACCOUNT_ACTION, key=_account_key(request, login),
                                 dry_run=True)


def record_failure(request, login: str) -> None:
    ratelimit.consume(request, action=ACCOUNT_ACTION, key=_account_key(request, login))


def clear_account(request, login: str) -> None:
    ratelimit.clear(request, action=ACCOUNT_ACTION, key=_account_key(request, login))


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()

