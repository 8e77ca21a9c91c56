from django.urls import path

from courses.rest import views_authoring as a
from courses.rest import views_learning as learn

urlpatterns = [
    path("courses/", a.CourseListView.as_view(), name="api-courses"),
    path("courses/<int:pk>/", a.CourseDetailView.as_view(), name="api-course"),
    path("courses/<int:pk>/cover/", a.CourseCoverView.as_view(), name="api-course-cover"),
    path("courses/<int:pk>/publish/", a.CoursePublishView.as_view(), name="api-course-publish"),
    path("courses/<int:pk>/archive/", a.CourseArchiveView.as_view(), name="api-course-archive"),
    path("courses/<int:pk>/restore/", a.CourseRestoreView.as_view(), name="api-course-restore"),
    path("courses/<int:pk>/reorder/", a.CourseReorderView.as_view(), name="api-course-reorder"),
    path("courses/<int:pk>/modules/", a.ModuleCreateView.as_view(), name="api-course-modules"),
    path("courses/<int:pk>/outline/", learn.OutlineView.as_view(), name="api-course-outline"),
    path("courses/<int:pk>/enrol/", learn.EnrolSelfView.as_view(), name="api-course-enrol"),
    path("courses/<int:pk>/unenrol/", learn.UnenrolSelfView.as_view(), name="api-course-unenrol"),
    path("courses/<int:pk>/enrolments/", learn.EnrolmentsView.as_view(), name="api-course-enrolments"),
    path("enrolments/<int:pk>/", learn.EnrolmentByIdView.as_view(), name="api-enrolment"),
    path("courses/<int:pk>/enrolments/<int:user_id>/", learn.EnrolmentDetailView.as_view(),
         name="api-course-enrolment"),
    path("courses/<int:pk>/progress/", learn.ProgressView.as_view(), name="api-course-progress"),
    path("courses/<int:pk>/continue/", learn.ContinueView.as_view(), name="api-course-continue"),
    path("modules/<int:pk>/", a.ModuleDetailView.as_view(), name="api-module"),
    path("modules/<int:pk>/lessons/", a.LessonCreateView.as_view(), name="api-module-lessons"),
    path("lessons/<int:pk>/", learn.LessonDetailView.as_view(), name="api-lesson"),
    path("lessons/<int:pk>/file/", a.LessonFileView.as_view(), name="api-lesson-file"),
    path("lessons/<int:pk>/complete/", learn.LessonCompleteView.as_view(), name="api-lesson-complete"),
    path("lessons/<int:pk>/progress/", learn.LessonTrackView.as_view(), name="api-lesson-progress"),
]
