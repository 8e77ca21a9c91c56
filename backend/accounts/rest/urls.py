from django.urls import path

from backend.accounts.rest import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("users/", views.UserCreateView.as_view(), name="api-users"),
    path("users/import/", views.UserImportView.as_view(), name="api-users-import"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="api-user"),
    path("users/<int:pk>/accommodation/", views.UserAccommodationView.as_view(),
         name="api-user-accommodation"),
    path("users/<int:pk>/deactivate/", views.UserDeactivateView.as_view(), name="api-user-deactivate"),
    path("users/<int:pk>/reactivate/", views.UserReactivateView.as_view(), name="api-user-reactivate"),
    path("users/<int:pk>/resend-invitation/", views.UserInvitationView.as_view(),
         name="api-user-resend-invitation"),
]
