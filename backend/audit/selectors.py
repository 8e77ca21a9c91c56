"""Reads of the audit log: who may see which entries."""

from __future__ import annotations

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from backend.accounts.models import Cohort, Organisation, Role, User
from backend.accounts.roles import subtree_paths
from backend.accounts.selectors import path_q, user_role_scopes
from backend.audit.models import AuditEntry


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """A global administrator sees every entry. An administrator over a subtree sees what was
    done by people of that subtree, and what was done to its users, units and cohorts."""
    paths = subtree_paths(user_role_scopes(user), [Role.ADMINISTRATOR])
    if paths is None:
        return AuditEntry.objects.all()
    if not paths:
        return AuditEntry.objects.none()

    def ids(qs) -> QuerySet:
        return qs.annotate(key=Cast("pk", CharField())).values("key")

    users = User.objects.filter(path_q(paths, "organisation__path"))
    return AuditEntry.objects.filter(
        Q(actor__in=users.values("pk"))
        | Q(target_type="accounts.user", target_id__in=ids(users))
        | Q(target_type="accounts.organisation",
            target_id__in=ids(Organisation.objects.filter(path_q(paths))))
        | Q(target_type="accounts.cohort",
            target_id__in=ids(Cohort.objects.filter(path_q(paths, "organisation__path"))))
    )
