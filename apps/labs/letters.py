"""The letter writer's letter: plain text from the reader's choices and the content file, in the language
the reader chose (either language, whatever the page's). Pure: it reads nothing and stores nothing."""

import datetime
import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.formats import date_format

from apps.core.i18n import Text

from .content import ARTICLE_OF_LAW, Law, RequestKind, RequestLab, Right

FSI, PDI = "\u2068", "\u2069"
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
LATIN = re.compile("[A-Za-z]")


@dataclass(frozen=True)
class Choices:
    """What the reader asked for; `company`, `name`, `account` and `details` are as they typed them."""

    law: str
    kind: str
    company: str
    language: str
    name: str = ""
    account: str = ""
    details: str = ""


@dataclass(frozen=True)
class Letter:
    law: Law
    asked: RequestKind  # what the reader picked
    kind: RequestKind  # what the letter asks for: the nearest the law gives, when it has no such right
    right: Right
    text: str
    language: str

    @property
    def is_nearest(self) -> bool:
        return self.asked.key != self.kind.key

    @property
    def why_not(self) -> Text | None:
        return self.law.rights[self.asked.key].why_not

    @property
    def deadline(self) -> Text | None:
        return self.right.deadline or self.law.deadline

    @property
    def deadline_source(self):
        return self.right.deadline_source or self.law.deadline_source

    @property
    def filename(self) -> str:
        return f"data-request-{self.law.key}-{self.kind.key}-{self.language}.txt"


def _typed(value: str, language: str) -> str:
    """A value the reader typed, isolated when it would run against the letter's direction, so an email
    address or a phone number inside an Arabic sentence (or an Arabic name inside an English one) keeps
    its order. Arabic text with digits in it needs nothing."""
    value = " ".join(value.split())
    if language == "ar":
        against = LATIN.search(value) or not RIGHT_TO_LEFT.search(value)
    else:
        against = RIGHT_TO_LEFT.search(value)
    return f"{FSI}{value}{PDI}" if against else value


def letter_for(*, lab: RequestLab, choices: Choices, today: datetime.date) -> Letter | None:
    """The letter for `choices`, or None when the law or the request is no longer in the content."""
    law, asked = lab.law(choices.law), lab.kind(choices.kind)
    if law is None or asked is None:
        return None
    right = law.rights[asked.key]
    kind = asked if right.available else lab.kind(right.nearest)
    right = law.rights[kind.key]
    language = choices.language
    with translation.override(language):
        date = date_format(today, "j F Y")
    law_name = law.name.in_language(language)
    deadline = right.deadline or law.deadline
    words = {
        "company": _typed(choices.company, language),
        "under": lab.parts[ARTICLE_OF_LAW]
        .in_language(language)
        .format(article=right.article.in_language(language), law=law_name)
        if right.article
        else law_name,
        "deadline": deadline.in_language(language) if deadline else "",
        "account": _typed(choices.account, language),
        "details": "\n".join(_typed(line, language) for line in choices.details.splitlines() if line.strip()),
        "date": date,
    }
    words["name"] = (
        _typed(choices.name, language)
        if choices.name.strip()
        else lab.parts["unsigned"].in_language(language)
    )

    def part(text: Text) -> str:
        return text.in_language(language).format_map(words).strip()

    paragraphs = [part(lab.parts["opening"]), part(kind.body)]
    if choices.account.strip():
        paragraphs.append(part(lab.parts["account"]))
    if words["details"]:
        paragraphs.append(part(lab.parts["details"]))
    paragraphs.append(part(lab.parts["deadline"] if deadline else lab.parts["no_deadline"]))
    paragraphs.append(part(lab.parts["closing"]))
    text = "\n\n".join(paragraphs) + "\n"
    return Letter(law=law, asked=asked, kind=kind, right=right, text=text, language=language)
