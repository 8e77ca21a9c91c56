from django.urls import path

from . import views

urlpatterns = [
    path("lessons/<int:pk>/h5p/", views.ContentView.as_view(), name="api-lesson-h5p"),
    path("lessons/<int:pk>/h5p/state/", views.StateView.as_view(), name="api-lesson-h5p-state"),
    path("lessons/<int:pk>/xapi/", views.XAPIView.as_view(), name="api-lesson-xapi"),
    path("lessons/<int:pk>/xapi/export/", views.XAPIExportView.as_view(), name="api-lesson-xapi-export"),
]
