"""Certificates API: list/detail/PDF/badge for holders and administrators, revoke, reinstate,
re-issue, retry a failed PDF, bulk issue (a job), ZIP of a course's PDFs, public verification
(by code, and of a dropped file)."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.api import cohort_member_ids
from backend.api.errors import error_body
from backend.api.pagination import PaginatedListMixin
from backend.api.params import query_id
from backend.api.parsers import MultiPartParser
from backend.api.permissions import AdministratorToWrite
from backend.api.schema import error_response
from backend.errors import Conflict, Forbidden
from backend.private_media import content_disposition, private_file_response
from certificates import bulk, renewals, services
from certificates.api import verification_get
from certificates.expiry import CertificateStatus
from certificates.file_checks import check_file, too_large
from certificates.file_uploads import body_too_large, uploaded_bytes, use_memory_only_upload
from certificates.files import safe_name, stream_zip
from certificates.models import Certificate, RenderStatus
from certificates.rendering import render_bytes
from certificates.rest import serializers as s
from certificates.rest.permissions import CertificateAccess, certificate_for, certificate_queryset
from certificates.rest.throttles import VerifyThrottle
from certificates.selectors import not_found

PDF = OpenApiResponse(OpenApiTypes.BINARY, description="application/pdf")


def _job_out(job) -> dict:
    return {"id": job.id, "status": job.status, "done": job.done, "total": job.total,
            "errors": job.errors, "url": f"/api/v1/jobs/{job.id}/"}


class CertificateListView(PaginatedListMixin, APIView):
    @extend_schema(operation_id="certificates_list", responses=s.CertificateOut(many=True),
                   parameters=[
                       OpenApiParameter("course", int, description="Only this course."),
                       OpenApiParameter("status", str, enum=CertificateStatus.values),
                       OpenApiParameter("render_status", str, enum=list(RenderStatus.values),
                                        description="e.g. `failed`: PDFs that need a retry."),
                   ],
                   description="Your own certificates; administrators also see those of their "
                               "units' courses and people.")
    def get(self, request):
        qs = certificate_queryset(request)
        if (course := query_id(request, "course")) is not None:
            qs = qs.filter(course_id=course)
        if wanted := request.query_params.get("status"):
            qs = qs.with_status(wanted)
        if render := request.query_params.get("render_status"):
            qs = qs.filter(render_status=render)
        return self.paginated(qs.order_by("-issued_at", "-pk"), lambda page: s.CertificateOut(
            page, many=True, context={"request": request}).data)


class CertificateDetailView(APIView):
    permission_classes = [IsAuthenticated, CertificateAccess]

    @extend_schema(operation_id="certificates_retrieve", responses=s.CertificateOut)
    def get(self, request, pk: int):
        certificate = certificate_for(request, self, pk)
        return Response(s.CertificateOut(certificate, context={"request": request}).data)


class CertificatePdfView(APIView):
    permission_classes = [IsAuthenticated, CertificateAccess]

    @extend_schema(operation_id="certificates_pdf",
                   responses={(200, "application/pdf"): PDF,
                              409: error_response("`pdf_pending`: the PDF is being drawn.")},
                   description="The PDF, streamed. A revoked certificate comes stamped as revoked. "
                               "409 `pdf_pending` while it is being drawn.")
    def get(self, request, pk: int):
        certificate = certificate_for(request, self, pk)
        filename = safe_name(f"{certificate.serial} {certificate.holder_name}") + ".pdf"
        if certificate.revoked_at is not None:
            response = HttpResponse(render_bytes(certificate, stamp=True), content_type="application/pdf")
        elif not certificate.pdf_ready:
            raise Conflict(_("The PDF is not ready yet."), code="pdf_pending")
        else:
            return private_file_response(request, storage=certificate.pdf.storage,
                                         name=certificate.pdf.name, filename=filename,
                                         inline=False, cache_control="private, no-store")
        response["Content-Disposition"] = content_disposition(filename)
        response["Cache-Control"] = "private, no-store"
        return response


class _ReasonActionView(APIView):
    """An administrator's action on one certificate that takes a public `reason`: revoke,
    reinstate and re-issue differ only in their input and their service."""
    permission_classes = [AdministratorToWrite, CertificateAccess]
    serializer_in: type
    action = None  # services function (actor=, certificate_id=, reason=) -> Certificate

    def post(self, request, pk: int):
        certificate_for(request, self, pk)
        data = self.serializer_in(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = self.action(actor=request.user, certificate_id=pk,
                                  reason=data.validated_data["reason"])
        certificate.refresh_from_db()
        return Response(s.CertificateOut(certificate, context={"request": request}).data)


@extend_schema_view(post=extend_schema(
    operation_id="certificates_revoke", request=s.RevokeIn, responses=s.CertificateOut,
    description="Administrators of the course's unit; `reason` is required and public."))
class CertificateRevokeView(_ReasonActionView):
    serializer_in = s.RevokeIn
    action = staticmethod(services.certificate_revoke)


@extend_schema_view(post=extend_schema(
    operation_id="certificates_reinstate", request=s.ReinstateIn,
    responses={200: s.CertificateOut,
               400: error_response("`invalid`: `reason` is missing or empty."),
               403: error_response("`permission_denied`: not an administrator of "
                                   "the course's unit."),
               404: error_response("`not_found`: no such certificate you may see."),
               409: error_response("`not_revoked`: the certificate is not revoked.")},
    description="Undo a mistaken revocation (administrators of the course's unit). "
                "`reason` is required and public: the verification page shows "
                "when and why it was reinstated. The certificate then reads as its "
                "dates say (valid, expired or superseded), re-issue works again "
                "and its status-list bit is cleared; the audit log keeps the "
                "revocation undone."))
class CertificateReinstateView(_ReasonActionView):
    serializer_in = s.ReinstateIn
    action = staticmethod(services.certificate_reinstate)


@extend_schema_view(post=extend_schema(
    operation_id="certificates_reissue", request=s.ReissueIn, responses=s.CertificateOut,
    description="New PDF (current name and template, new serial, today's date); the "
                "verification code stays; the previous version is kept in history."))
class CertificateReissueView(_ReasonActionView):
    serializer_in = s.ReissueIn
    action = staticmethod(services.certificate_reissue)


class CertificateRenewView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="certificates_renew", request=None, responses=s.RenewalOut,
                   description="The holder starts renewing an expiring (or expired) certificate: "
                               "a new round of the same course, or enrolment in the refresher "
                               "course, as the course's certificate template says. Completing "
                               "that course issues the new certificate; this one then reads "
                               "`superseded`. Idempotent: again returns the renewal under way. "
                               "409 `renewal_not_open` (with the day it opens), `no_renewal`, "
                               "`not_renewable` (revoked or superseded), `no_refresher_course`.")
    def post(self, request, pk: int):
        certificate = certificate_queryset(request).filter(pk=pk).first()
        if certificate is None:
            raise not_found()
        if certificate.user_id != request.user.pk:
            raise Forbidden(_("Only the holder may renew a certificate."))
        renewal = renewals.certificate_renewal_start(actor=request.user, certificate_id=pk)
        return Response(s.RenewalOut(renewal).data)


class CertificateRenderView(APIView):
    permission_classes = [AdministratorToWrite, CertificateAccess]

    @extend_schema(operation_id="certificates_render", request=None, responses=s.CertificateOut,
                   description="Retry drawing a PDF whose rendering failed.")
    def post(self, request, pk: int):
        certificate_for(request, self, pk)
        services.certificate_retry_render(actor=request.user, certificate_id=pk)
        certificate = certificate_queryset(request).get(pk=pk)
        return Response(s.CertificateOut(certificate, context={"request": request}).data)


class CourseBulkIssueView(APIView):
    permission_classes = [AdministratorToWrite]

    @extend_schema(operation_id="courses_certificates_issue", request=s.BulkIssueIn,
                   responses={202: s.JobOut},
                   description="Issue the course's certificates to everyone who completed it (or a "
                               "cohort's members); naming people (user_ids / emails) issues to them "
                               "if enrolled, completed or not. Returns a job; running it again "
                               "issues nothing twice.")
    def post(self, request, pk: int):
        services.ensure_manageable_course(actor=request.user, course_id=pk)
        data = s.BulkIssueIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        job = bulk.bulk_issue_start(actor=request.user, course_id=pk, cohort_id=v.get("cohort"),
                                    user_ids=v.get("user_ids"), emails=v.get("emails"))
        return Response(s.JobOut(_job_out(job)).data, status=status.HTTP_202_ACCEPTED)


class BulkIssueResumeView(APIView):
    permission_classes = [AdministratorToWrite]

    @extend_schema(operation_id="certificates_jobs_resume", request=None, responses={202: s.JobOut},
                   description="Resume a bulk issue that stopped (e.g. a worker died): only its "
                               "unfinished chunks run again.")
    def post(self, request, pk):
        job = bulk.bulk_issue_resume(actor=request.user, job_id=pk)
        return Response(s.JobOut(_job_out(job)).data, status=status.HTTP_202_ACCEPTED)


class CourseZipView(APIView):
    @extend_schema(operation_id="courses_certificates_zip",
                   parameters=[OpenApiParameter("cohort", int, description="Only this cohort.")],
                   responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)},
                   description="A ZIP of the course's certificate PDFs (revoked ones left out), "
                               "streamed as it is built.")
    def get(self, request, pk: int):
        course = services.ensure_manageable_course(actor=request.user, course_id=pk)
        qs = (Certificate.objects.filter(course_id=pk, revoked_at__isnull=True,
                                         render_status=RenderStatus.RENDERED)
              .exclude(pdf="").only("pk", "serial", "holder_name", "pdf", "pdf_revision", "revision")
              .order_by("pk"))
        if (cohort := query_id(request, "cohort")) is not None:
            qs = qs.filter(user_id__in=cohort_member_ids(cohort))

        def entries():
            for c in qs.iterator(chunk_size=500):
                if c.pdf_ready:
                    name = safe_name(f"{c.serial.replace('/', '-')} {c.holder_name}") + f" ({c.pk}).pdf"
                    yield name, c.pdf.open

        response = StreamingHttpResponse(stream_zip(entries()), content_type="application/zip")
        response["Content-Disposition"] = content_disposition(safe_name(course.title) + ".zip")
        return response


class VerifyView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [VerifyThrottle]

    @extend_schema(operation_id="verify_retrieve", auth=[],
                   responses={200: s.VerificationOut,
                              404: error_response("Unknown or malformed code (`not_found`).")},
                   description="Anyone: status of the certificate with this code. Unknown and "
                               "malformed codes get the same 404. Rate limited per address.")
    def get(self, request, code: str):
        data = verification_get(code)
        if data is None:
            return Response(error_body("not_found", _("Not found.")), status=status.HTTP_404_NOT_FOUND)
        return Response(s.VerificationOut(data).data)


class VerifyFileView(APIView):
    """Anyone: the verdict on a certificate file (the "verify this file" page's API)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [VerifyThrottle]
    parser_classes = [MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        # Before DRF wraps the request, so the parser finds the memory-only handler.
        self.upload = use_memory_only_upload(request)
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        operation_id="verify_file", auth=[], request={"multipart/form-data": s.VerifyFileIn},
        responses={200: s.FileVerdictOut,
                   400: error_response("`no_file`, `empty_file`, `unsupported_file` (neither a PDF "
                                       "nor a JSON object), each naming the field `file`."),
                   413: error_response("`file_too_large`: more than the limit for its kind "
                                       "(field `file`)."),
                   415: error_response("`unsupported_media_type`: send multipart/form-data.")},
        description="Anyone: drop a certificate's PDF or its Open Badges credential (JSON) in "
                    "the multipart field `file`; the answer says whether it is intact and ours, "
                    "and the certificate's status today (valid, revoked, expired, superseded), "
                    "or `tampered` / `unknown`. The type is told by content. The file is never "
                    "stored. Rate limited per address together with the verification by code.")
    def post(self, request):
        if body_too_large(request):
            raise too_large()
        verdict = check_file(uploaded_bytes(request.FILES, self.upload))
        return Response(s.FileVerdictOut(verdict).data)
