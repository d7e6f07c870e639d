from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.pages.demo import DEMO_PASSWORD, demo_data_seed


class Command(BaseCommand):
    help = "Create demo accounts (teacher, student1..student5) with a class and progress. Local use only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; it only runs with "
                "DJANGO_DEBUG=true, or with --force if you really mean it."
            )
        demo_data_seed()
        self.stdout.write(
            f'Demo data ready: teacher, student1..student5 (password {DEMO_PASSWORD}), "Demo class".'
        )
