"""Administration pages, under /manage/ (Django's own admin keeps /admin/)."""

from django.urls import path

from frontend.views import (
    admin,
    admin_audit,
    admin_certificate_templates,
    admin_cohorts,
    admin_enrolments,
    admin_import,
    admin_report,
    admin_units,
    admin_users,
)

urlpatterns = [
    path("manage/", admin.home, name="admin-home"),
    path("manage/users/", admin_users.user_list, name="admin-users"),
    path("manage/users/new/", admin_users.user_create, name="admin-user-create"),
    path("manage/users/<int:pk>/", admin_users.user_detail, name="admin-user"),
    path("manage/users/<int:pk>/roles/<int:assignment_pk>/revoke/", admin_users.role_revoke,
         name="admin-user-role-revoke"),
    path("manage/users/<int:pk>/cohorts/<int:cohort_pk>/leave/", admin_users.cohort_leave,
         name="admin-user-cohort-leave"),
    path("manage/users/<int:pk>/invite/", admin_users.invitation_resend, name="admin-user-invite"),
    path("manage/import/", admin_import.import_upload, name="admin-import"),
    path("manage/import/<uuid:job_id>/", admin_import.import_job, name="admin-import-job"),
    path("manage/units/", admin_units.unit_list, name="admin-units"),
    path("manage/units/new/", admin_units.unit_create, name="admin-unit-create"),
    path("manage/units/<int:pk>/", admin_units.unit_edit, name="admin-unit-edit"),
    path("manage/cohorts/", admin_cohorts.cohort_list, name="admin-cohorts"),
    path("manage/cohorts/new/", admin_cohorts.cohort_create, name="admin-cohort-create"),
    path("manage/cohorts/<int:pk>/", admin_cohorts.cohort_detail, name="admin-cohort"),
    path("manage/cohorts/<int:pk>/remove/", admin_cohorts.cohort_remove, name="admin-cohort-remove"),
    path("manage/enrolments/", admin_enrolments.enrolments, name="admin-enrolments"),
    path("manage/enrolments/<int:course_pk>/<int:user_pk>/unenrol/", admin_enrolments.unenrol,
         name="admin-unenrol"),
    path("manage/report/", admin_report.report, name="admin-report"),
    path("manage/report.xlsx", admin_report.report_xlsx, name="admin-report-xlsx"),
    path("manage/audit/", admin_audit.audit_log, name="admin-audit"),
    path("manage/certificate-templates/", admin_certificate_templates.template_list,
         name="admin-certificates"),
    path("manage/certificate-templates/new/", admin_certificate_templates.template_create,
         name="admin-certificate-template-create"),
    path("manage/certificate-templates/<int:pk>/", admin_certificate_templates.template_edit,
         name="admin-certificate-template"),
]
