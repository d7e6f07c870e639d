from django.urls import path

from . import views

app_name = "labs"
urlpatterns = [
    path("policies/", views.policies, name="policies"),
    path("policies/guide/", views.policy_guide, name="policy_guide"),
    path("policies/start-again/", views.policies_reset, name="policies_reset"),
    path("policies/<slug:policy_key>/", views.policy, name="policy"),
    path("requests/", views.requests, name="requests"),
    path("requests/letter.txt", views.letter_download, name="letter_download"),
    path("requests/start-again/", views.requests_reset, name="requests_reset"),
    path("scams/", views.scams, name="scams"),
    path("scams/start-again/", views.scams_reset, name="scams_reset"),
    path("scams/<slug:message_key>/", views.scam, name="scam"),
]
