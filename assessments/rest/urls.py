from django.urls import path

from assessments.rest import views_authoring as a
from assessments.rest import views_overrides as o
from assessments.rest import views_quiz as q

urlpatterns = [
    path("question-banks/", a.BankListView.as_view(), name="api-question-banks"),
    path("question-banks/<int:pk>/questions/", a.BankQuestionsView.as_view(), name="api-bank-questions"),
    path("question-banks/<int:pk>/import/", a.BankImportView.as_view(), name="api-bank-import"),
    path("question-banks/<int:pk>/export/", a.BankExportView.as_view(), name="api-bank-export"),
    path("questions/<int:pk>/", a.QuestionDetailView.as_view(), name="api-question"),
    path("quizzes/", a.QuizCreateView.as_view(), name="api-quizzes"),
    path("quizzes/<int:pk>/", q.QuizDetailView.as_view(), name="api-quiz"),
    path("quizzes/<int:pk>/attempts/", q.AttemptStartView.as_view(), name="api-quiz-attempts"),
    path("quizzes/<int:pk>/grading/", q.GradingQueueView.as_view(), name="api-quiz-grading"),
    path("quizzes/<int:pk>/statistics/", q.StatisticsView.as_view(), name="api-quiz-statistics"),
    path("quizzes/<int:pk>/statistics/csv/", q.StatisticsCsvView.as_view(), name="api-quiz-statistics-csv"),
    path("quizzes/<int:pk>/overrides/", o.QuizOverridesView.as_view(), name="api-quiz-overrides"),
    path("overrides/<int:pk>/", o.OverrideDetailView.as_view(), name="api-override"),
    path("attempts/<int:pk>/", q.AttemptDetailView.as_view(), name="api-attempt"),
    path("attempts/<int:pk>/submit/", q.AttemptSubmitView.as_view(), name="api-attempt-submit"),
    path("attempts/<int:pk>/override/", q.AttemptOverrideView.as_view(), name="api-attempt-override"),
    path("responses/<int:pk>/grade/", q.ResponseGradeView.as_view(), name="api-response-grade"),
]
