from django.urls import path

from . import views

urlpatterns = [
    path("lessons/<int:pk>/scorm/", views.PackageView.as_view(), name="api-lesson-scorm"),
    path("lessons/<int:pk>/scorm/cmi/", views.CmiView.as_view(), name="api-lesson-scorm-cmi"),
]
