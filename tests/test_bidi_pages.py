"""Every Arabic page shows its Latin tokens in order ("3-D Secure", not "D Secure-3"): checked with
tests/bidi_check.py, which knows nothing of how the site isolates them."""

import pytest
from django.test import Client

from apps.checklist.models import ChecklistGroup, ChecklistItem
from apps.lessons.models import Lesson, Module
from apps.quizzes.models import Choice, Question
from tests.bidi_check import page_tokens_at_risk
from tests.helpers import site_tour

pytestmark = pytest.mark.django_db


def test_every_page_of_the_site_tour_in_arabic():
    tour = site_tour(lang="ar")
    for name in tour.pages:
        assert page_tokens_at_risk(tour.get(name)) == [], name


@pytest.mark.usefixtures("real_content")
class TestShippedContent:
    def test_lesson_module_glossary_and_checklist_pages(self):
        client = Client()
        urls = ["/ar/glossary/", "/ar/checklist/", "/ar/modules/"]
        urls += [f"/ar/modules/{module.slug}/" for module in Module.objects.all()]
        urls += [
            f"/ar/modules/{lesson.module.slug}/{lesson.slug}/"
            for lesson in Lesson.objects.select_related("module")
        ]
        urls += [f"/ar/checklist/{group.slug}/" for group in ChecklistGroup.objects.all()]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert page_tokens_at_risk(response.content.decode()) == [], url

    def test_quiz_texts(self):
        texts = [*Question.objects.values_list("prompt_ar", flat=True)]
        texts += [text for pair in Choice.objects.values_list("text_ar", "explanation_ar") for text in pair]
        assert [token for text in texts for token in page_tokens_at_risk(text)] == []

    def test_checklist_texts_in_csv_and_print(self):
        texts = [
            text
            for item in ChecklistItem.objects.all()
            for text in (item.title_ar, item.why_ar, *item.steps_ar)
        ]
        assert [token for text in texts for token in page_tokens_at_risk(text)] == []
