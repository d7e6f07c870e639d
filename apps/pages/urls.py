from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("search/", views.search, name="search"),
    path("accounts/export/", views.data_export, name="data_export"),
    path("privacy/forget/", views.forget, name="forget"),
]
