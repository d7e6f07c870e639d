"""The shipped content as a whole: it loads, every module has a quiz, a second load changes nothing."""

import pytest

from apps.lessons.models import Module, Term
from apps.pages.content import content_sync_all
from apps.quizzes.models import Quiz

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_content")]


def test_every_shipped_module_has_its_quiz():
    assert Module.objects.count() == 6
    assert set(Quiz.objects.values_list("module__slug", flat=True)) == set(
        Module.objects.values_list("slug", flat=True)
    )


def test_loading_the_shipped_content_again_creates_updates_and_prunes_nothing():
    # The issue: "load_content reports 28 rows updated when nothing changed".
    reports = content_sync_all(prune=True)
    for name, report in reports.items():
        assert (report.created, report.updated, report.stale) == (0, 0, []), name
        assert report.unchanged > 0, name
    assert reports["lessons"].unchanged == Module.objects.count() + Term.objects.count() + sum(
        module.lessons.count() for module in Module.objects.all()
    )
