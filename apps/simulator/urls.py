from django.urls import path

from . import views

app_name = "simulator"
urlpatterns = [
    path("", views.simulator, name="simulator"),
    path("posts/<slug:post_key>/", views.act, name="act"),
    path("settings/", views.switches, name="switches"),
    path("start-again/", views.reset, name="reset"),
    path("debrief/", views.debrief, name="debrief"),
    path("finish/", views.finish, name="finish"),
]
