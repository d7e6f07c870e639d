from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic.base import RedirectView

from apps.lessons import views as lesson_views
from apps.pages import views as page_views
from apps.pages.sitemaps import sitemaps

urlpatterns = [
    # Browsers ask for /favicon.ico only where no <link rel="icon"> names one (a JSON or text response,
    # a bookmark tool); they follow a redirect to an SVG. Temporary, because the target is the content-
    # hashed name of the current file, and lazy, because that name is known only once static files
    # are collected, not when this module is imported.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg")), name="favicon"),
    path("healthz", page_views.healthz, name="healthz"),
    path("livez", page_views.livez, name="livez"),
    path("robots.txt", page_views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("", include("apps.pages.urls")),
    path("accounts/", include("apps.accounts.urls")),
    # Quizzes first: "<module>/quiz/" must not be read as a lesson called "quiz".
    path("modules/", include("apps.quizzes.urls")),
    path("modules/", include("apps.lessons.urls")),
    path("glossary/", lesson_views.glossary, name="glossary"),
    path("checklist/", include("apps.checklist.urls")),
    path("simulator/", include("apps.simulator.urls")),
    path("labs/", include("apps.labs.urls")),
    path("", include("apps.classrooms.urls")),
    path("admin/", admin.site.urls),
)

handler400 = "apps.pages.views.bad_request"
handler404 = "apps.pages.views.page_not_found"
handler500 = "apps.pages.views.server_error"
