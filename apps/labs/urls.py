from django.urls import path

from . import views

app_name = "labs"
urlpatterns = [
    path("scams/", views.scams, name="scams"),
    path("scams/start-again/", views.scams_reset, name="scams_reset"),
    path("scams/<slug:message_key>/", views.scam, name="scam"),
]
