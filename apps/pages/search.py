"""Site search: every word of the query must appear in a document's folded text (apps.core.text.fold).

The matching runs in Python over what the selectors load for the current language, so SQLite and
PostgreSQL give the same results. A source of documents (lessons, checklist items, later the glossary) is
one function in `selectors.py` that turns rows into `Document`s; nothing here knows where they come from.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from apps.core.text import fold, fold_with_origins, query_words, vanishes

MAX_QUERY_LENGTH = 100
# Characters of context shown before the first match, and the length of an excerpt.
EXCERPT_BEFORE = 60
EXCERPT_LENGTH = 200


@dataclass(frozen=True)
class Document:
    kind: str  # what it is, as shown to the reader: "Lesson", "Checklist item"
    title: str
    context: str  # where it lives: the module or the platform
    url: str
    texts: tuple[str, ...]  # the other searchable texts, in the order an excerpt is looked for


@dataclass(frozen=True)
class Result:
    document: Document
    title: SafeString
    excerpt: SafeString


def _in_word(char: str) -> bool:
    return char.isalnum() or vanishes(char)


def _whole_word(text: str, start: int, end: int) -> tuple[int, int]:
    """The match grown to the whole word it is part of (with its prefix, such as ال, and its marks)."""
    while start > 0 and _in_word(text[start - 1]):
        start -= 1
    while end < len(text) and _in_word(text[end]):
        end += 1
    return start, end


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """The words of `text` in which the query's words occur, as merged (start, end) ranges of its
    characters: a word is marked whole, so Arabic letters stay joined."""
    folded, origins = fold_with_origins(text)
    spans = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            end = origins[start + len(word) - 1] + 1
            spans.append(_whole_word(text, origins[start], end))
            start = folded.find(word, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[tuple[int, int]], *, prefix: str = "", suffix: str = "") -> SafeString:
    """`text` escaped, with each span in <mark>."""
    pieces, position = [], 0
    for start, end in spans:
        pieces.append((text[position:start], text[start:end]))
        position = end
    body = format_html_join("", "{}<mark>{}</mark>", pieces)
    return format_html("{}{}{}{}", prefix, body, text[position:], suffix)


def _excerpt(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """About EXCERPT_LENGTH characters of `text` around its first match, cut at spaces."""
    first = spans[0][0] if spans else 0
    start = max(0, first - EXCERPT_BEFORE)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + EXCERPT_LENGTH)
    if end < len(text):
        space = text.rfind(" ", max(first, start), end)
        end = space if space > first else end
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    return _marked(
        text[start:end], inside, prefix="…" if start else "", suffix="…" if end < len(text) else ""
    )


def _result(document: Document, words: list[str]) -> Result:
    """The title marked, and an excerpt of the text holding most of the words (the first one of those;
    the first text, unmarked, when only the title matches)."""
    title = _marked(document.title, _spans(document.title, words))
    texts = [text for text in document.texts if text]
    if not texts:
        return Result(document, title, SafeString(""))
    found = [sum(word in fold(text) for word in words) for text in texts]
    best = found.index(max(found))
    return Result(document, title, _excerpt(texts[best], _spans(texts[best], words)))


def search_documents(*, query: str, documents: Iterable[Document]) -> list[Result]:
    """The documents containing every word of the query (in any of their texts), those with every word
    in their title first, otherwise in the order given; each with its title and an excerpt around the
    first match marked."""
    words = query_words(query)
    if not words:
        return []
    in_title, elsewhere = [], []
    for document in documents:
        title = fold(document.title)
        haystack = "\n".join((title, *(fold(text) for text in document.texts)))
        if all(word in haystack for word in words):
            found = in_title if all(word in title for word in words) else elsewhere
            found.append(_result(document, words))
    return in_title + elsewhere
