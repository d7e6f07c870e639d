from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The top app: pages and commands that compose the others (home, sitemap, data export,
    load_content, seed_demo). It may import every app; no app imports it."""

    name = "apps.pages"
    label = "pages"
