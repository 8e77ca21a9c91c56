"""Trainer pages for question banks and quizzes (under /teach/), and the url names the course
pages link to: "quiz-edit" and "h5p-upload" (lesson id), "quiz-statistics" (quiz id),
"quiz-lesson" (lesson id, the trainee's way to a quiz lesson's quiz)."""

from django.urls import path

from frontend.views import quiz_authoring as banks
from frontend.views import quiz_authoring_questions as questions
from frontend.views import quiz_authoring_quiz as quizzes
from frontend.views import quiz_authoring_stats as stats
from frontend.views import time_rules

urlpatterns = [
    path("teach/banks/", banks.bank_list, name="qbank-list"),
    path("teach/banks/<int:pk>/", banks.bank_detail, name="qbank-detail"),
    path("teach/banks/<int:pk>/categories/", banks.category_add, name="qbank-category-add"),
    path("teach/banks/<int:pk>/import/", banks.bank_import, name="qbank-import"),
    path("teach/banks/<int:pk>/export.gift", banks.bank_export, name="qbank-export"),
    path("teach/banks/<int:pk>/questions/new/<slug:qtype>/", questions.question_new,
         name="qbank-question-new"),
    path("teach/questions/<int:pk>/", questions.question_edit, name="qbank-question"),
    path("teach/quizzes/", quizzes.quiz_list, name="quiz-authoring-home"),
    path("teach/lessons/<int:lesson_id>/quiz/", quizzes.quiz_edit, name="quiz-edit"),
    path("teach/lessons/<int:lesson_id>/h5p/", quizzes.h5p_upload, name="h5p-upload"),
    path("teach/quizzes/<int:quiz_id>/statistics/", stats.statistics_page, name="quiz-statistics"),
    path("teach/quizzes/<int:quiz_id>/statistics.<slug:fmt>", stats.statistics_export,
         name="quiz-statistics-export"),
    path("teach/quizzes/<int:quiz_id>/overrides/", time_rules.quiz_overrides, name="quiz-overrides"),
    path("teach/overrides/<int:pk>/", time_rules.quiz_override_edit, name="quiz-override-edit"),
    path("teach/overrides/<int:pk>/delete/", time_rules.quiz_override_delete, name="quiz-override-delete"),
    path("learn/lessons/<int:lesson_id>/quiz/", quizzes.quiz_of_lesson, name="quiz-lesson"),
]
