from django.urls import path

from . import views

app_name = "checklist"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("print/", views.print_view, name="print"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("<slug:group_slug>/", views.group, name="group"),
    path("<slug:group_slug>/<slug:item_key>/", views.item, name="item"),
    path("<slug:group_slug>/<slug:item_key>/report/", views.report, name="report"),
]
