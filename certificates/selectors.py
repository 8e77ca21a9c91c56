"""Reads: which template applies, who may see or manage a certificate, public verification.

Visibility (one rule for list and detail): holders see their own certificates; administrators
see those of courses whose unit lies in their subtrees and those held by people of their
subtrees. Managing (issue, revoke, re-issue, templates) needs an administrator over the
course's unit (or, for a unit template, over that unit).
"""

from __future__ import annotations

import hmac

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from backend.accounts.api import (
    Role,
    ancestor_paths,
    holds,
    organisation_get,
    path_q,
    subtree_paths,
    user_role_scopes,
)
from backend.errors import DomainError
from certificates.codes import normalise_code
from certificates.models import Certificate, CertificateTemplate
from courses.api import CourseData

# A well-formed code that can never be issued (U is not in the alphabet), looked up in place of
# malformed input so that malformed and unknown codes walk the same path to the same 404.
_NEVER_ISSUED = "UUUU-UUUU-UUUU-UUUU"


def not_found() -> DomainError:
    return DomainError(_("Not found."), code="not_found", status=404)


def admin_paths(user) -> list[str] | None:
    """Subtrees where the user is an administrator (None: everywhere, []: nowhere)."""
    return subtree_paths(user_role_scopes(user), [Role.ADMINISTRATOR])


def is_admin_over(user, organisation_path: str | None) -> bool:
    return organisation_path is not None and holds(user_role_scopes(user), Role.ADMINISTRATOR,
                                                   organisation_path)


def is_course_admin(user, course: CourseData) -> bool:
    unit = organisation_get(course.organisation_id)
    return unit is not None and is_admin_over(user, unit.path)


def certificate_visibility_q(user) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    paths = admin_paths(user)
    if paths is None:
        return Q()
    own = Q(user_id=user.pk)
    if not paths:
        return own
    return own | path_q(paths, "organisation__path") | path_q(paths, "user__organisation__path")


def certificates_visible_to(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(certificate_visibility_q(user))


def certificate_get_visible(user, certificate_id: int) -> Certificate:
    certificate = (certificates_visible_to(user).select_related("organisation")
                   .filter(pk=certificate_id).first())
    if certificate is None:
        raise not_found()
    return certificate


def can_manage(user, certificate: Certificate) -> bool:
    return is_admin_over(user, certificate.organisation.path)


# --- templates ------------------------------------------------------------------------------------

def template_for_course(course: CourseData) -> CertificateTemplate | None:
    """The course's own template, else the nearest unit up the tree that has one."""
    own = CertificateTemplate.objects.filter(course_id=course.id).first()
    if own is not None:
        return own
    unit = organisation_get(course.organisation_id)
    if unit is None:
        return None
    paths = ancestor_paths(unit.path)
    candidates = (CertificateTemplate.objects.select_related("organisation")
                  .filter(course__isnull=True, organisation__path__in=paths))
    return max(candidates, key=lambda t: len(t.organisation.path), default=None)


def templates_visible_to(user) -> QuerySet[CertificateTemplate]:
    """Administrators see the templates owned by units of their subtrees."""
    paths = admin_paths(user)
    return (CertificateTemplate.objects.filter(path_q(paths, "organisation__path"))
            .select_related("organisation").order_by("organisation__path", "course_id", "pk"))


# --- public verification --------------------------------------------------------------------------

def certificate_by_code(user_input: str | None) -> Certificate | None:
    """The certificate for a typed code, or None; malformed and unknown codes cost the same.

    The lookup is one equality probe on a unique index whatever the input; the final compare is
    constant-time, so response time says nothing about how close a guess was.
    """
    code = normalise_code(user_input)
    probe = code or _NEVER_ISSUED
    certificate = Certificate.objects.filter(code=probe).first()
    if certificate is None or code is None or not hmac.compare_digest(certificate.code, code):
        return None
    return certificate
