from django.core.management.base import BaseCommand, CommandError

from apps.core.content import ContentError
from apps.pages.content import content_sync_all


class Command(BaseCommand):
    help = "Load lessons, quizzes and checklist items from the content files (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete modules, lessons, questions and items no longer in the files, with "
            "learners' rows attached to them.",
        )

    def handle(self, *args, prune: bool = False, **options):
        try:
            reports = content_sync_all(prune=prune)
        except ContentError as error:
            raise CommandError(f"Content not loaded: {error}") from error
        for name, report in reports.items():
            self.stdout.write(
                f"{name}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
            )
            if report.stale:
                verb = "deleted" if prune else "no longer in the files (use --prune to delete)"
                self.stdout.write(self.style.WARNING(f"{name}: {verb}: {', '.join(report.stale)}"))
