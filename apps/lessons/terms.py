"""First use of a glossary term in a lesson becomes a link to its entry (at load or save time).

Forms are matched as whole words: case-insensitively in English; in Arabic also after the attached
letters و ف ب ل ك (so «والتنميط» and «للتنميط» find «التنميط»). Headings, links, code and diagrams are
left alone, and each term is linked once per lesson. Arabic forms match with or without tashkeel.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape

TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
NOT_LINKED_INSIDE = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "svg", "code", "pre"}
ARABIC_MARKS = "\u064b-\u0652\u0670"
MARKS = re.compile(f"[{ARABIC_MARKS}]")


@dataclass
class TermLinker:
    """`forms` maps each written form to the key of its term; `url` is the glossary page's address."""

    forms: dict[str, str]
    language: str
    url: str
    pattern: re.Pattern | None = field(init=False, default=None)

    def __post_init__(self):
        variants = dict(self.forms)
        if self.language == "ar":
            # ل + ال: «للتنميط» is written with one alef less than «ل» + «التنميط».
            variants.update({form[1:]: key for form, key in self.forms.items() if form.startswith("ال")})
        self.forms = {self._normal(form): key for form, key in variants.items()}
        if not self.forms:
            return
        ordered = sorted(self.forms, key=len, reverse=True)
        if self.language == "ar":
            # Written with or without tashkeel, in the form and in the lesson alike.
            marks = f"[{ARABIC_MARKS}]*"
            alternatives = "|".join("".join(re.escape(char) + marks for char in form) for form in ordered)
        else:
            alternatives = "|".join(re.escape(form) for form in ordered)
        if self.language == "ar":
            edge = rf"[\w{ARABIC_MARKS}]"
            self.pattern = re.compile(rf"(?<!{edge})[وفبلك]{{0,2}}({alternatives})(?!{edge})")
        else:
            self.pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)

    def _normal(self, form: str) -> str:
        return MARKS.sub("", form.strip()) if self.language == "ar" else form.strip().lower()

    def link(self, html: str) -> tuple[str, set[str]]:
        """`html` with each term's first use linked, and the keys of the terms it uses."""
        if self.pattern is None:
            return html, set()
        used: set[str] = set()
        depth = 0
        parts = TAG.split(html)
        for index, part in enumerate(parts):
            if index % 2:
                name = TAG_NAME.match(part)
                if name and name[2].lower() in NOT_LINKED_INSIDE and not part.endswith("/>"):
                    depth += -1 if name[1] else 1
                continue
            if depth == 0 and part:
                parts[index] = self.pattern.sub(lambda match: self._anchor(match, used), part)
        return "".join(parts), used

    def _anchor(self, match: re.Match, used: set[str]) -> str:
        key = self.forms[self._normal(match[1])]
        if key in used:
            return match[0]
        used.add(key)
        return f'<a class="term" href="{escape(self.url)}#{key}">{match[0]}</a>'
