from django.urls import path

from . import export_views, views

urlpatterns = [
    path("lessons/<int:pk>/scorm/", views.PackageView.as_view(), name="api-lesson-scorm"),
    path("lessons/<int:pk>/scorm/cmi/", views.CmiView.as_view(), name="api-lesson-scorm-cmi"),
    path("lessons/<int:pk>/scorm/attempts/export/", export_views.AttemptsExportView.as_view(),
         name="api-lesson-scorm-attempts-export"),
]
