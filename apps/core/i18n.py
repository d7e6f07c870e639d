from dataclasses import dataclass

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import get_language

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def current_language() -> str:
    """'en' or 'ar': the language of the request being served."""
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


class Localized:
    """`title = Localized("title")` reads `title_en` or `title_ar` for the current language."""

    def __init__(self, base: str):
        self.base = base

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return getattr(instance, f"{self.base}_{current_language()}")


@dataclass(frozen=True)
class Text:
    """A text of a content file in every language, shown in the language of the request."""

    by_language: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return self.in_language(current_language())

    def in_language(self, language: str) -> str:
        return dict(self.by_language)[language]

    def __html__(self) -> str:  # autoescaped like any string: never marked safe
        return escape(str(self))
