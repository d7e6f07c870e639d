from django.utils.translation import gettext as _

from apps.accounts.models import Reader, User
from apps.checklist import selectors as checklist_selectors
from apps.checklist.models import ChecklistItem
from apps.classrooms import selectors as classroom_selectors
from apps.core.i18n import current_language
from apps.labs import selectors as lab_selectors
from apps.lessons import selectors as lesson_selectors
from apps.lessons.models import Lesson, Term
from apps.quizzes import selectors as quiz_selectors
from apps.simulator import selectors as simulator_selectors

from .search import Document, Result, search_documents


def personal_data_export(*, user: User, reader: Reader | None) -> dict:
    """Everything we hold about a person: their account (if any) and every row of their reader."""
    data: dict = {}
    if user.is_authenticated:
        data["account"] = {
            "username": user.get_username(),
            "email": user.email,
            "role": user.role,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
        data.update(classroom_selectors.classrooms_export(user=user))
    data.update(lesson_selectors.lesson_reads_export(reader=reader))
    data.update(quiz_selectors.quiz_attempts_export(reader=reader))
    data.update(checklist_selectors.checklist_export(reader=reader))
    data.update(simulator_selectors.simulator_export(reader=reader))
    data.update(lab_selectors.labs_export(reader=reader))
    return data


def _lesson_documents(language: str) -> list[Document]:
    lessons = (
        Lesson.objects.select_related("module")
        .only(
            "slug",
            f"title_{language}",
            f"summary_{language}",
            f"body_text_{language}",
            "module__slug",
            f"module__title_{language}",
        )
        .order_by("module__position", "position")
    )
    kind = _("Lesson")
    return [
        Document(
            kind=kind,
            title=lesson.title,
            context=lesson.module.title,
            url=lesson.get_absolute_url(),
            texts=(lesson.summary, lesson.body_text),
        )
        for lesson in lessons
    ]


def _checklist_item_documents(language: str) -> list[Document]:
    items = (
        ChecklistItem.objects.select_related("group")
        .only(
            "key",
            f"title_{language}",
            f"why_{language}",
            f"steps_{language}",
            "group__slug",
            f"group__title_{language}",
        )
        .order_by("group__position", "position")
    )
    kind = _("Checklist item")
    return [
        Document(
            kind=kind,
            title=item.title,
            context=item.group.title,
            url=f"{item.group.get_absolute_url()}#item-{item.key}",
            texts=(item.why, " · ".join(item.steps)),
        )
        for item in items
    ]


# Each source is one query for the current language's columns; a glossary is one more function here.
def _term_documents(language: str) -> list[Document]:
    terms = Term.objects.only("key", "term_en", "term_ar", f"definition_{language}").order_by("position")
    kind = _("Glossary term")
    return [
        Document(
            kind=kind,
            title=term.term,
            context=term.term_in_other_language,
            url=term.get_absolute_url(),
            texts=(term.definition,),
        )
        for term in terms
    ]


SEARCH_SOURCES = (_lesson_documents, _term_documents, _checklist_item_documents)


def search_results(*, query: str) -> list[Result]:
    """Lessons and checklist items in the current language containing every word of `query` (folded:
    case, diacritics and Arabic letter variants ignored), with the match marked. One query per source,
    whatever the number of results."""
    language = current_language()
    documents = [document for source in SEARCH_SOURCES for document in source(language)]
    return search_documents(query=query, documents=documents)
