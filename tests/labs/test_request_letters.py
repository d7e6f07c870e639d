"""The shipped letter writer: every law sourced, and its letters for every law, request and language
compared with the golden files in tests/labs/letters/. After an intended change to the letters, rewrite
them with `UPDATE_GOLDEN_LETTERS=1 make test` and read the difference before committing it."""

import datetime
import os
from pathlib import Path

import pytest

from apps.labs.content import CONTENT_DIR, REQUEST_KINDS, load_requests
from apps.labs.letters import Choices, letter_for

GOLDEN = Path(__file__).with_name("letters")
SHIPPED = load_requests(CONTENT_DIR / "requests.toml")
LAWS = ("eu-gdpr", "uk-gdpr", "california", "saudi-arabia", "uae", "egypt", "jordan", "qatar", "bahrain")
READER = {
    "en": {"name": "Sam Haddad", "details": "My date of birth is wrong: it should be 3 March 2008."},
    "ar": {"name": "سامي حداد", "details": "تاريخ ميلادي خاطئ، والصحيح 3 مارس 2008."},
}


def test_the_shipped_letter_writer_covers_the_laws_the_lessons_teach():
    assert tuple(law.key for law in SHIPPED.laws) == LAWS
    for law in SHIPPED.laws:
        assert law.deadline_source.url.startswith("https://")
        for kind in REQUEST_KINDS:
            right = law.rights[kind]
            assert (
                right.source.url.startswith("https://")
                if right.available
                else law.rights[right.nearest].available
            )


def letters_of(law: str, language: str) -> str:
    parts = []
    for kind in REQUEST_KINDS:
        choices = Choices(
            law=law,
            kind=kind,
            company="Northwind Games",
            account="sam@example.com",
            language=language,
            name=READER[language]["name"],
            details=READER[language]["details"] if kind == "correct" else "",
        )
        written = letter_for(lab=SHIPPED, choices=choices, today=datetime.date(2026, 12, 2))
        parts.append(f"=== {kind} → {written.kind.key} ===\n{written.text}")
    return "\n".join(parts)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("law", LAWS)
def test_the_letters_match_their_golden_file(law, language):
    path = GOLDEN / f"{law}.{language}.txt"
    written = letters_of(law, language)
    if os.environ.get("UPDATE_GOLDEN_LETTERS") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(written, encoding="utf-8")
    assert written == path.read_text(encoding="utf-8")
