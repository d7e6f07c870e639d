from django.urls import path

from . import views

app_name = "lessons"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:module_slug>/", views.module_detail, name="module_detail"),
    path("<slug:module_slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson_detail"),
]
