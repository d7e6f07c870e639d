from django.urls import path

from . import views

app_name = "classrooms"
urlpatterns = [
    path("classes/", views.class_list, name="class_list"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
