"""Trainee learning pages (frontend/views/learning.py)."""

from django.urls import path

from frontend.views import learning

urlpatterns = [
    path("courses/", learning.catalogue, name="catalogue"),
    path("courses/<int:pk>/", learning.course_detail, name="course-detail"),
    path("courses/<int:pk>/enrol/", learning.course_enrol, name="course-enrol"),
    path("courses/<int:pk>/learn/", learning.course_outline, name="course-outline"),
    path("my/courses/", learning.my_courses, name="my-courses"),
    path("learn/lessons/<int:pk>/", learning.lesson_page, name="lesson"),
    path("learn/lessons/<int:pk>/complete/", learning.lesson_complete, name="lesson-complete"),
]
