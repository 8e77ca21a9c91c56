from django.urls import path

from certificates.rest import views as v
from certificates.rest import views_credentials as vc
from certificates.rest import views_templates as t

urlpatterns = [
    path("certificates/", v.CertificateListView.as_view(), name="api-certificates"),
    path("certificates/<int:pk>/", v.CertificateDetailView.as_view(), name="api-certificate"),
    path("certificates/<int:pk>/pdf/", v.CertificatePdfView.as_view(), name="api-certificate-pdf"),
    path("certificates/<int:pk>/credential/", vc.CertificateCredentialView.as_view(),
         name="api-certificate-credential"),
    path("certificates/<int:pk>/badge/", vc.CertificateBadgeView.as_view(), name="api-certificate-badge"),
    path("certificates/<int:pk>/revoke/", v.CertificateRevokeView.as_view(),
         name="api-certificate-revoke"),
    path("certificates/<int:pk>/reinstate/", v.CertificateReinstateView.as_view(),
         name="api-certificate-reinstate"),
    path("certificates/<int:pk>/reissue/", v.CertificateReissueView.as_view(),
         name="api-certificate-reissue"),
    path("certificates/<int:pk>/renew/", v.CertificateRenewView.as_view(),
         name="api-certificate-renew"),
    path("certificates/<int:pk>/render/", v.CertificateRenderView.as_view(),
         name="api-certificate-render"),
    path("certificates/jobs/<uuid:pk>/resume/", v.BulkIssueResumeView.as_view(),
         name="api-certificate-job-resume"),
    path("courses/<int:pk>/certificates/issue/", v.CourseBulkIssueView.as_view(),
         name="api-course-certificates-issue"),
    path("courses/<int:pk>/certificates/zip/", v.CourseZipView.as_view(),
         name="api-course-certificates-zip"),
    path("verify/file/", v.VerifyFileView.as_view(), name="api-verify-file"),  # before <code>
    path("verify/<str:code>/", v.VerifyView.as_view(), name="api-verify"),
    path("certificate-templates/", t.TemplateListView.as_view(), name="api-certificate-templates"),
    path("certificate-templates/<int:pk>/", t.TemplateDetailView.as_view(),
         name="api-certificate-template"),
]

