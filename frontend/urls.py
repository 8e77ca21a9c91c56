from django.urls import path

from frontend.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("profile/", home.profile, name="profile"),
]
