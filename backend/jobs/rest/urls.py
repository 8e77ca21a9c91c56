from django.urls import path

from backend.jobs.rest.views import JobView

urlpatterns = [path("jobs/<uuid:pk>/", JobView.as_view(), name="api-job")]
