"""The shipped Arabic, as an editor would hold it: one quotation style, one word per concept
(docs/arabic-style.md)."""

import re

import pytest

from apps.checklist.models import ChecklistItem
from apps.lessons.models import Lesson, Term
from apps.quizzes.models import Choice, Question

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_content")]

LATIN_QUOTES = re.compile('["“”]')


def _arabic_texts() -> list[tuple[str, str]]:
    texts = [(str(lesson), lesson.body_text_ar) for lesson in Lesson.objects.select_related("module")]
    texts += [(str(term), term.definition_ar) for term in Term.objects.all()]
    texts += [
        (str(question), question.prompt_ar) for question in Question.objects.select_related("quiz__module")
    ]
    for choice in Choice.objects.select_related("question"):
        texts += [(str(choice), choice.text_ar), (str(choice), choice.explanation_ar)]
    for item in ChecklistItem.objects.select_related("group"):
        texts += [(str(item), text) for text in (item.title_ar, item.why_ar, *item.steps_ar)]
    return texts


def test_arabic_quotes_are_guillemets():
    assert [where for where, text in _arabic_texts() if LATIN_QUOTES.search(text)] == []


def test_signal_is_never_called_a_tag():
    """«إشارة» is reserved for tagging a person (and a phone's network signal); a data signal is «مؤشّر»."""
    misuse = re.compile("(?:ال)?إشارات (?:السلوك|الاجتماعية|السفر)|إشارات مثل")
    assert [where for where, text in _arabic_texts() if misuse.search(text)] == []
