from django.urls import path

from frontend.views import certificates as views

urlpatterns = [
    path("verify/", views.verify_form, name="verify-form"),
    path("verify/file/", views.verify_file, name="verify-file"),  # before verify/<code>/
    path("verify/<str:code>/", views.verify, name="verify-certificate"),
    path("certificates/", views.my_certificates, name="my-certificates"),
    path("certificates/<int:certificate_id>/renew/", views.certificate_renew,
         name="certificate-renew"),
    path("courses/<int:course_id>/certificates/", views.course_certificates,
         name="course-certificates"),
    path("courses/<int:course_id>/certificates/issue/", views.course_bulk_issue,
         name="course-certificates-issue"),
    path("courses/<int:course_id>/certificates/<int:certificate_id>/<str:action>/",
         views.certificate_action, name="course-certificate-action"),
]
