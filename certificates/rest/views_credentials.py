"""Signed Open Badges credentials: the holder's credential, and the public documents a verifier
outside the platform fetches (each issuing unit's DID document, its status lists).

The public ones answer anyone, with CORS `*` (browser verifiers fetch them from other sites)
and rate limited per address like the verification endpoint.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.api import organisation_get
from backend.api.errors import error_body
from backend.api.schema import error_response
from backend.private_media import content_disposition
from certificates.credentials import issuers, store
from certificates.files import safe_name
from certificates.rest.permissions import CertificateAccess, certificate_for
from certificates.rest.throttles import CredentialsThrottle

JSON_LD = OpenApiResponse(OpenApiTypes.OBJECT, description="application/json (JSON-LD)")


def _json(document: dict | str, *, content_type: str = "application/json",
          public: bool) -> HttpResponse:
    text = document if isinstance(document, str) else store.serialise(document)
    response = HttpResponse(text.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
    if public:
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = "public, max-age=60"
    else:
        response["Cache-Control"] = "private, no-store"
    return response


def _not_found() -> Response:
    response = Response(error_body("not_found", _("Not found.")), status=status.HTTP_404_NOT_FOUND)
    response["Access-Control-Allow-Origin"] = "*"
    return response


class CertificateCredentialView(APIView):
    permission_classes = [IsAuthenticated, CertificateAccess]

    @extend_schema(operation_id="certificates_credential",
                   parameters=[OpenApiParameter("download", bool,
                                                description="1: as an attachment "
                                                            "`<serial> <holder>.json`.")],
                   responses={200: JSON_LD},
                   description="The certificate's Open Badges 3.0 OpenBadgeCredential (VC Data "
                               "Model 2.0), secured with a Data Integrity proof (eddsa-rdfc-2022) "
                               "by its issuing unit's did:web key, with a Bitstring Status List "
                               "entry for revocation. Signed once per revision, so repeated "
                               "downloads are byte-identical. The holder and administrators of "
                               "the course's unit.")
    def get(self, request, pk: int):
        certificate = certificate_for(request, self, pk)
        response = _json(store.credential_text(certificate), public=False)
        if request.query_params.get("download") in {"1", "true", "yes"}:
            name = safe_name(f"{certificate.serial} {certificate.holder_name}") + ".json"
            response["Content-Disposition"] = content_disposition(name)
        return response


class CertificateBadgeView(CertificateCredentialView):
    @extend_schema(operation_id="certificates_badge", responses={200: JSON_LD}, deprecated=True,
                   description="Deprecated alias of `/credential/`: the same signed credential.")
    def get(self, request, pk: int):
        return super().get(request, pk)


class IssuerDidView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [CredentialsThrottle]

    @extend_schema(operation_id="issuers_did", auth=[],
                   responses={(200, "application/did+json"): JSON_LD,
                              404: error_response("No such unit (`not_found`).")},
                   description="Anyone: the DID document of the issuing unit "
                               "`did:web:<host>:issuers:<id>` (its public keys as Multikey, all "
                               "in assertionMethod, retired ones included). CORS `*`.")
    def get(self, request, pk: int):
        if organisation_get(pk) is None:
            return _not_found()
        return _json(issuers.did_document(pk), content_type="application/did+json", public=True)


class StatusListView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [CredentialsThrottle]

    @extend_schema(operation_id="credentials_status_list", auth=[],
                   responses={200: JSON_LD, 404: error_response("No such list (`not_found`).")},
                   description="Anyone: the signed BitstringStatusListCredential of the unit's "
                               "list `number` (revocation; bit 1 = revoked), computed from the "
                               "certificates when served. CORS `*`, cached for 60 seconds.")
    def get(self, request, pk: int, number: int):
        document = store.status_list_credential(pk, number)
        if document is None:
            return _not_found()
        return _json(document, public=True)
