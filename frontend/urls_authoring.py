"""Trainer pages: course authoring, preview, publish and analytics (under /teach/)."""

from django.urls import path

from frontend.views import authoring as a
from frontend.views import authoring_analytics as stats
from frontend.views import authoring_structure as s

urlpatterns = [
    path("teach/", a.course_list, name="authoring-home"),
    path("teach/courses/new/", a.course_create, name="authoring-create"),
    path("teach/courses/<int:pk>/", s.structure, name="authoring-structure"),
    path("teach/courses/<int:pk>/settings/", a.course_settings, name="authoring-settings"),
    path("teach/courses/<int:pk>/publish/", a.course_publish, name="authoring-publish"),
    path("teach/courses/<int:pk>/archive/", a.course_archive, name="authoring-archive"),
    path("teach/courses/<int:pk>/restore/", a.course_restore, name="authoring-restore"),
    path("teach/courses/<int:pk>/preview/", a.course_preview, name="authoring-preview"),
    path("teach/courses/<int:pk>/modules/", s.module_add, name="authoring-module-add"),
    path("teach/courses/<int:pk>/move/", s.move, name="authoring-move"),
    path("teach/courses/<int:pk>/reorder/", s.reorder, name="authoring-reorder"),
    path("teach/courses/<int:pk>/analytics/", stats.analytics, name="authoring-analytics"),
    path("teach/courses/<int:pk>/analytics/<slug:report>.<slug:fmt>", stats.analytics_export,
         name="authoring-analytics-export"),
    path("teach/modules/<int:pk>/rename/", s.module_rename, name="authoring-module-rename"),
    path("teach/modules/<int:pk>/delete/", s.module_delete, name="authoring-module-delete"),
    path("teach/modules/<int:pk>/lessons/", s.lesson_add, name="authoring-lesson-add"),
    path("teach/lessons/<int:pk>/", s.lesson_edit, name="authoring-lesson"),
    path("teach/lessons/<int:pk>/delete/", s.lesson_delete, name="authoring-lesson-delete"),
    path("teach/lessons/<int:pk>/preview/", a.lesson_preview, name="authoring-lesson-preview"),
]
