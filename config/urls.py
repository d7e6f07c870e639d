from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from apps.core import views as core_views
from apps.lessons.sitemaps import sitemaps

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    # Quizzes first: "<module>/quiz/" must not be read as a lesson called "quiz".
    path("modules/", include("apps.quizzes.urls")),
    path("modules/", include("apps.lessons.urls")),
    path("checklist/", include("apps.checklist.urls")),
    path("", include("apps.classrooms.urls")),
    path("admin/", admin.site.urls),
)

handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
