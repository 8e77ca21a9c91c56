from django.urls import path

from backend.notifications.rest import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(),
         name="api-notification-read"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(),
         name="api-notifications-read-all"),
    path("me/notification-preferences/", views.PreferencesView.as_view(),
         name="api-notification-preferences"),
    path("notification-defaults/", views.DefaultsView.as_view(), name="api-notification-defaults"),
]
