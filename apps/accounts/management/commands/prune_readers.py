import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.accounts.login_throttle import login_failures_prune
from apps.accounts.services import readers_prune

# A reader's session is saved (and its expiry moved) on its first write after each ACTIVITY_STEP,
# so the session can outlive `last_active_at` by up to that step plus the session age.
MARGIN = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Delete anonymous readers, with all their progress, idle for longer than the session "
        "lifetime: no browser can reach them any more; and records of failed log-ins once their lock "
        "time is over. Run daily, after clearsessions."
    )

    def handle(self, *args, **options):
        idle_for = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE) + MARGIN
        deleted = readers_prune(idle_for=idle_for)
        self.stdout.write(
            f"Deleted {deleted} unclaimed anonymous readers idle for more than {idle_for.days} days."
        )
        self.stdout.write(f"Deleted {login_failures_prune()} expired records of failed log-ins.")
