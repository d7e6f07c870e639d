import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.quizzes.services import anonymous_attempts_prune


class Command(BaseCommand):
    help = "Delete anonymous quiz attempts whose sessions have expired. Run daily, like clearsessions."

    def handle(self, *args, **options):
        deleted = anonymous_attempts_prune(older_than=datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE))
        self.stdout.write(f"Deleted {deleted} rows of unclaimed anonymous attempts.")
