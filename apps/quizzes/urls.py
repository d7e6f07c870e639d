from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    # Before lessons' "<module>/" (config/urls.py includes these first): "attempts" is no module.
    path("attempts/", views.attempt_history, name="attempt_history"),
    path("<slug:module_slug>/quiz/", views.take, name="take"),
    path("<slug:module_slug>/quiz/<id:attempt_id>/", views.attempt, name="attempt"),
    path("<slug:module_slug>/quiz/<id:attempt_id>/results/", views.results, name="results"),
]
