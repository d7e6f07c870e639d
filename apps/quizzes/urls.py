from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [path("<slug:module_slug>/quiz/", views.take, name="take")]
