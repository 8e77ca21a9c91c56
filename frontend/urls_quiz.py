from django.urls import path

from frontend.views import quiz

urlpatterns = [
    path("quiz/<int:quiz_id>/", quiz.quiz_start_page, name="quiz-start"),
    path("quiz/<int:quiz_id>/start/", quiz.quiz_start, name="quiz-start-attempt"),
    path("quiz/<int:quiz_id>/grading/", quiz.grading_queue, name="quiz-grading"),
    path("quiz/attempt/<int:attempt_id>/", quiz.attempt_player, name="quiz-attempt"),
    path("quiz/attempt/<int:attempt_id>/review/", quiz.attempt_review, name="quiz-review"),
]
