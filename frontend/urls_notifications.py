from django.urls import path

from frontend.views import notifications

urlpatterns = [
    path("notifications/", notifications.centre, name="notifications"),
    path("notifications/settings/", notifications.preferences, name="notification-preferences"),
    path("notifications/read-all/", notifications.mark_all_read, name="notifications-read-all"),
    path("notifications/<int:pk>/open/", notifications.open_notification, name="notification-open"),
    path("notifications/<int:pk>/read/", notifications.mark_read, name="notification-read"),
]
