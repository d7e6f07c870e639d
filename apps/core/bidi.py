"""Latin tokens inside Arabic text, shown in the right order.

In a right-to-left paragraph the Unicode bidirectional algorithm gives neutral characters (+, -, @, /,
brackets) the direction of the paragraph, so "3-D Secure" displays as "D Secure-3" and "200+" as "+200".
Wrapping such a run in LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE lays it out as one left-to-right
unit. Content loaders call these functions on Arabic text once, at load or save time.

Plain Latin words ("Meta", "Accounts Center") and plain numbers ("2018") already display correctly and
are left alone.
"""

import html
import re

LRI, PDI = "\u2066", "\u2069"
ISOLATES = (LRI, "\u2067", "\u2068")  # left-to-right, right-to-left, first-strong

_TOKEN = r"[-–/.:,+@#$€£%&'’()=_;!?]*[A-Za-z0-9][A-Za-z0-9@#+$€£%&'’()\-–./:_,;!?=]*"
# Latin tokens, possibly several joined by single spaces ("3-D Secure", "Law No. 151").
LATIN_RUN = re.compile(rf"{_TOKEN}(?: {_TOKEN})*")
TRAILING_PUNCTUATION = ".,:;!?'’"
NEEDS_NO_ISOLATION = re.compile(r"[A-Za-z ]+|[0-9]+")
TAG = re.compile(r"(<[^>]*>)")


def _trim(run: str) -> str:
    """Drop sentence punctuation and an unmatched closing bracket from the end of a run."""
    while run and (run[-1] in TRAILING_PUNCTUATION or (run[-1] == ")" and run.count(")") > run.count("("))):
        run = run[:-1]
    return run


def _isolate_match(match: re.Match) -> str:
    run = match.group(0)
    lead = ""
    if run.startswith("(") and run.count("(") > run.count(")"):
        lead, run = "(", run[1:]
    core = _trim(run)
    rest = run[len(core) :]
    if not core or NEEDS_NO_ISOLATION.fullmatch(core) or not re.search("[A-Za-z0-9]", core):
        return match.group(0)
    return f"{lead}{LRI}{core}{PDI}{rest}"


def isolate_latin_runs(text: str) -> str:
    """Plain Arabic text with every mixed Latin run (letters or digits with punctuation) isolated.
    Idempotent: text already isolated is returned unchanged."""
    if not text:
        return text
    pieces = re.split(f"({LRI}[^{PDI}]*{PDI})", text)
    return "".join(
        piece if piece.startswith(LRI) else LATIN_RUN.sub(_isolate_match, piece) for piece in pieces
    )


def isolate_latin_runs_in_html(markup: str) -> str:
    """The same for clean HTML: only text between tags changes, never tags or attribute values."""
    parts = TAG.split(markup)
    for index in range(0, len(parts), 2):
        if parts[index]:
            text = isolate_latin_runs(html.unescape(parts[index]))
            parts[index] = html.escape(text, quote=False)
    return "".join(parts)
