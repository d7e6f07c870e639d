"""A check, independent of apps.core.bidi, that Latin tokens in Arabic text will display in order.

A token is at risk when it holds a left-to-right letter or a digit next to a neutral character that the
Unicode bidirectional algorithm would give the right-to-left direction of the paragraph: "3-D" shows as
"D-3", "200+" as "+200", "@name" as "name@". Neutrals between two digits ("1,000", "2026-12-01"), between
two Latin letters ("x.com") or currency and percent signs next to a digit ("10%") are safe.
"""

import html
import re
import unicodedata

STRONG_OR_NUMBER = {"L", "EN"}
NEUTRAL = {"ES", "ET", "CS", "ON"}
EDGE_PUNCTUATION = ".,:;!?؟،؛»«\"'()[]…“”‘’"
ISOLATED = [
    re.compile("\u2066[^\u2069]*\u2069"),
    re.compile(r"<bdi\b[^>]*>.*?</bdi>", re.DOTALL),
    re.compile(r"<(\w+)\b[^>]*\b(?:dir=\"ltr\"|lang=\"en\")[^>]*>.*?</\1>", re.DOTALL),
    re.compile(r"<(script|style|svg)\b.*?</\1>", re.DOTALL),
]


def _resolved(token: str) -> list[str]:
    """Bidi classes, with rule W7 applied: a digit after a Latin letter is laid out as Latin."""
    classes, last_strong = [], None
    for char in token:
        cls = unicodedata.bidirectional(char)
        if cls in ("L", "R", "AL"):
            last_strong = cls
        classes.append("L" if cls == "EN" and last_strong == "L" else cls)
    return classes


def _safe_neutral(classes: list[str], index: int) -> bool:
    """Rules W4, W5 and N1 for the neutral at `index`: it stays with its neighbours (skipping other
    neutrals) when those agree."""
    left = next((cls for cls in reversed(classes[:index]) if cls not in NEUTRAL), None)
    right = next((cls for cls in classes[index + 1 :] if cls not in NEUTRAL), None)
    before = classes[index - 1] if index > 0 else None
    after = classes[index + 1] if index + 1 < len(classes) else None
    if {left, right} & {"AL", "R", "AN"} or not {left, right} & STRONG_OR_NUMBER:
        return True  # it joins the Arabic, or the paragraph: right to left, as meant
    if classes[index] == "ET" and "EN" in (before, after):
        return True
    if classes[index] in ("ES", "CS") and before == after == "EN":
        return True
    return left == right == "L"


def tokens_at_risk(text: str) -> list[str]:
    """Whitespace-separated tokens of plain `text` that would display out of order in RTL text."""
    risky = []
    for token in re.split(r"[\s\u00a0]+", text):
        core = token.strip(EDGE_PUNCTUATION)
        classes = _resolved(core)
        if not STRONG_OR_NUMBER & set(classes):
            continue
        if any(cls in NEUTRAL and not _safe_neutral(classes, i) for i, cls in enumerate(classes)):
            risky.append(core)
    return risky


def page_tokens_at_risk(markup: str) -> list[str]:
    """The same for an HTML page: text already isolated (LRI...PDI, <bdi>, dir="ltr", lang="en") and
    scripts or diagrams are skipped; attribute values are not text."""
    for pattern in ISOLATED:
        markup = pattern.sub(" ", markup)
    text = html.unescape(re.sub(r"<[^>]*>", " ", markup))
    return tokens_at_risk(text)
