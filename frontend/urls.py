"""Pages. Each area has its own views module and url list, so they grow independently."""

from django.urls import include, path

from frontend.views import covers, design, home, language

urlpatterns = [
    path("", home.home, name="home"),
    path("profile/", home.profile, name="profile"),
    path("i18n/setlang/", language.switch, name="set_language"),  # the header's language switch
    path("covers/<str:token>.webp", covers.course_cover, name="course-cover"),
    path("favicon.ico", design.favicon, name="favicon"),
    path("manage/design/", design.style_guide, name="design-system"),
    path("", include("frontend.urls_learning")),     # catalogue, my courses, outline, lessons
    path("", include("frontend.urls_quiz")),         # quiz player, review, trainer quiz pages
    path("", include("frontend.urls_h5p")),          # H5P player page and content files
    path("", include("frontend.urls_scorm")),        # SCORM player page and package files
    path("", include("frontend.urls_certificates")), # my certificates, verification page, admin
    path("", include("frontend.urls_authoring")),    # trainer: course authoring, analytics
    path("", include("frontend.urls_quiz_authoring")),  # trainer: question banks, quizzes, statistics
    path("", include("frontend.urls_admin")),        # administrator: users, units, cohorts, reports
    path("", include("frontend.urls_notifications")),  # notification centre, notification settings
]
