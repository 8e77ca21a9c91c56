from django.urls import path

from backend.accounts.rest import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("users/", views.UserCreateView.as_view(), name="api-users"),
    path("users/import/", views.UserImportView.as_view(), name="api-users-import"),
]
