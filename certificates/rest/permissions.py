"""Who may do what with certificates: one permission class and one queryset filter (the rule
itself lives in selectors), so a list never shows a row its detail view would refuse."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.permissions import SAFE_METHODS, BasePermission

from certificates.models import Certificate
from certificates.selectors import can_manage, certificates_visible_to, not_found


def certificate_queryset(request) -> QuerySet[Certificate]:
    return certificates_visible_to(request.user).select_related("organisation", "renewed_by")


class CertificateAccess(BasePermission):
    """Reading: whoever can see it (queryset). Changing: an administrator of the course's unit."""

    def has_object_permission(self, request, view, certificate: Certificate) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return can_manage(request.user, certificate)


def certificate_for(request, view, pk: int) -> Certificate:
    certificate = certificate_queryset(request).filter(pk=pk).first()
    if certificate is None:
        raise not_found()
    view.check_object_permissions(request, certificate)
    return certificate
