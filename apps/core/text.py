"""Text folded for matching: the same letters whatever the case, diacritics or spelling variants.

Search matches in Python over folded text rather than in SQL, so SQLite and PostgreSQL give the same
results for the same query. Folding is defined one character at a time, so every character of a folded
text comes from exactly one character of the original: that is what lets a match found in folded text be
marked in the original (`fold_with_origins`).
"""

import re
import unicodedata
from html.parser import HTMLParser

ALEF = "\u0627"
# Alef with madda, hamza above, hamza below, and alef wasla: one alef.
ALEF_FORMS = "\u0622\u0623\u0625\u0671"
TAA_MARBUTA, HAA = "\u0629", "\u0647"
ALEF_MAQSURA, YAA = "\u0649", "\u064a"
TATWEEL = "\u0640"
ARABIC_BLOCK = ("\u0600", "\u06ff")


def _fold_char(char: str) -> str:
    if char in ALEF_FORMS:
        return ALEF
    if char == TAA_MARBUTA:
        return HAA
    if char == ALEF_MAQSURA:
        return YAA
    if char == TATWEEL:
        return ""
    category = unicodedata.category(char)
    # Tashkeel, Quranic marks and Latin accents are all combining marks (Mn); zero-width joiners,
    # direction marks and soft hyphens are format characters (Cf). None changes the word.
    if category in ("Mn", "Cf"):
        return ""
    if ARABIC_BLOCK[0] <= char <= ARABIC_BLOCK[1]:
        # Arabic-Indic digits are digits; other Arabic letters (ؤ, ئ, ء...) stay as they are.
        return str(unicodedata.decimal(char)) if category == "Nd" else char
    compatible = unicodedata.normalize("NFKC", char)
    if compatible != char:
        # Presentation forms and ligatures (ﻷ, ﬁ, full-width letters) become ordinary letters first.
        return "".join(_fold_char(part) for part in compatible)
    decomposed = unicodedata.normalize("NFD", char.casefold())
    return "".join(part for part in decomposed if unicodedata.category(part) not in ("Mn", "Cf"))


class _FoldTable(dict):
    """`str.translate` table filled on first use of each character."""

    def __missing__(self, codepoint: int) -> str:
        folded = self[codepoint] = _fold_char(chr(codepoint))
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """The text as search compares it: case-folded, without diacritics (Arabic tashkeel and tatweel,
    Latin accents) or invisible format characters, with أ إ آ ٱ as ا, ة as ه, ى as ي and
    Arabic-Indic digits as 0-9."""
    return text.translate(_TABLE)


def fold_with_origins(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the index in `text` of the character it came from."""
    folded: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        part = _TABLE[ord(char)]
        folded.append(part)
        origins.extend([index] * len(part))
    return "".join(folded), origins


def vanishes(char: str) -> bool:
    """Whether the character disappears when folded (a diacritic, a tatweel)."""
    return _TABLE[ord(char)] == ""


_WORD = re.compile(r"\w+")


def query_words(query: str) -> list[str]:
    """The distinct folded words of a query, in order; punctuation separates words."""
    return list(dict.fromkeys(_WORD.findall(fold(query))))


class _TextOnly(HTMLParser):
    # What a reader does not read as prose: diagrams are described by their caption, not their labels.
    SKIP = frozenset({"svg", "script", "style", "template"})
    # Tags inside a line of text: no space where they start or end ("<a>policy</a>." stays "policy.").
    INLINE = frozenset(
        {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span"}
        | {"strong", "sub", "sup", "u"}
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of (sanitised) HTML: tags and SVG diagrams dropped, entities decoded,
    whitespace collapsed."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())
