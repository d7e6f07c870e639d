"""Lessons and modules from the content files: validate, render once, store (load_content calls this)."""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils import translation

from apps.core.bidi import isolate_latin_runs_in_html
from apps.core.content import (
    ContentError,
    SyncReport,
    bilingual_texts,
    ordered_entries,
    read_markdown,
    read_toml,
    reading_minutes,
    right_to_left_ready,
)
from apps.core.i18n import LANGUAGE_CODES
from apps.core.sanitize import markdown_to_html, sanitize_html
from apps.core.text import html_to_text

from .models import Lesson, Module, Term
from .terms import TermLinker

CONTENT_DIR = Path(__file__).resolve().parent / "content"
CAST_FILE = "cast.toml"
GLOSSARY_FILE = "glossary.toml"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _html(markdown_text: str, language: str, linker: TermLinker | None = None) -> tuple[str, set[str]]:
    """Clean HTML (glossary terms linked, Latin runs isolated in Arabic) and the terms it uses."""
    html, used = markdown_to_html(markdown_text), set()
    if linker is not None:
        html, used = linker.link(html)
        html = sanitize_html(html)
    return (isolate_latin_runs_in_html(html) if language == "ar" else html), used


def _lesson_body(markdown_text: str, language: str, linker: TermLinker | None = None) -> dict:
    html, used = _html(markdown_text, language, linker)
    return {
        "terms_used": used,
        f"body_md_{language}": markdown_text,
        f"body_html_{language}": html,
        f"body_text_{language}": html_to_text(html),
        f"minutes_{language}": reading_minutes(markdown_text, language),
    }


def _module_overview(markdown_text: str, language: str) -> dict:
    return {
        f"overview_md_{language}": markdown_text,
        f"overview_html_{language}": _html(markdown_text, language)[0],
    }


def lesson_render(*, lesson: Lesson) -> None:
    """Fill a lesson's stored HTML and reading time from its Markdown (at admin save; the lessons a
    term is used in are brought up to date by the next load_content)."""
    terms = list(Term.objects.values("key", *(f"forms_{language}" for language in LANGUAGE_CODES)))
    linkers = _linkers(terms)
    for language in LANGUAGE_CODES:
        body = _lesson_body(getattr(lesson, f"body_md_{language}"), language, linkers[language])
        body.pop("terms_used")
        for name, value in body.items():
            setattr(lesson, name, value)


def _linkers(terms: list[dict]) -> dict[str, TermLinker]:
    linkers = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            url = reverse("glossary")
        forms = {form: term["key"] for term in terms for form in term[f"forms_{language}"]}
        linkers[language] = TermLinker(forms=forms, language=language, url=url)
    return linkers


def glossary_load(*, source_dir: Path) -> list[dict]:
    """The glossary's entries, checked, as stored (an empty list when the tree has no glossary)."""
    path = source_dir / GLOSSARY_FILE
    if not path.is_file():
        return []
    entries = read_toml(path).get("terms")
    if not isinstance(entries, list) or not entries:
        raise ContentError(f"{path}: needs [[terms]] entries")
    terms, seen = [], set()
    for position, entry in enumerate(entries, start=1):
        key = entry.get("id") if isinstance(entry, dict) else None
        where = f"{path}: term {key or position}"
        if not isinstance(key, str) or not SLUG.fullmatch(key) or key in seen:
            raise ContentError(f"{where}: needs a unique 'id' of lower-case letters, digits and dashes")
        seen.add(key)
        forms = entry.get("forms", {})
        term = {
            "key": key,
            "position": position,
            **bilingual_texts(where, entry, "term"),
            **bilingual_texts(where, entry, "definition"),
        }
        for language in LANGUAGE_CODES:
            written = forms.get(language, []) if isinstance(forms, dict) else None
            if not isinstance(written, list) or not all(isinstance(f, str) and f.strip() for f in written):
                raise ContentError(f"{where}: 'forms.{language}' must be a list of non-empty texts")
            term[f"forms_{language}"] = [form.strip() for form in written]
        terms.append(term)
    return terms


def module_render(*, module: Module) -> None:
    for language in LANGUAGE_CODES:
        for name, value in _module_overview(getattr(module, f"overview_md_{language}"), language).items():
            setattr(module, name, value)


TOP_HEADING = re.compile(r"^#(?!#)", re.MULTILINE)
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|href=[\"']([^\"']+)")


def body_check(*, path: Path, body: str) -> None:
    """The rules of docs/content-format.md that the sanitiser would otherwise enforce silently:
    headings start at `##` (the page has the one `#`), and links are https (or mailto)."""
    if TOP_HEADING.search(body):
        raise ContentError(f"{path}: headings start at '##'; the page supplies the '#' title")
    for match in LINK_TARGET.finditer(body):
        target = match[1] or match[2]
        if not target.startswith(("https://", "mailto:", "#", "/")):
            raise ContentError(f"{path}: link '{target}' must be https://")


def sources_check(*, path: Path, meta: dict, required: bool) -> list[dict]:
    """`[[sources]]` in the front matter (every lesson needs one at least): each names the claim it
    supports, an https address and the date a writer read it. Returns them as stored."""
    sources = meta.get("sources", [])
    if not isinstance(sources, list):
        raise ContentError(f"{path}: 'sources' must be a list of [[sources]] tables")
    if required and not sources:
        raise ContentError(f"{path}: a lesson needs [[sources]] for the facts it states")
    for number, source in enumerate(sources, start=1):
        where = f"{path}: source {number}"
        if not isinstance(source, dict) or not str(source.get("claim", "")).strip():
            raise ContentError(f"{where}: needs the 'claim' it supports")
        if not str(source.get("url", "")).startswith("https://"):
            raise ContentError(f"{where}: 'url' must be an https address")
        checked_on = source.get("checked_on")
        if not isinstance(checked_on, datetime.date) or isinstance(checked_on, datetime.datetime):
            raise ContentError(f"{where}: 'checked_on' must be a date like 2026-12-01")
    language = path.stem
    return [
        {
            "claim": right_to_left_ready(source["claim"].strip(), language),
            "url": source["url"],
            "checked_on": source["checked_on"].isoformat(),
        }
        for source in sources
    ]


@dataclass(frozen=True)
class Character:
    """One person of the cast: the name in each language and the one age the lessons may give."""

    id: str
    names: dict[str, str]
    age: int


def cast_load(*, source_dir: Path) -> list[Character]:
    """The cast in `source_dir/cast.toml` (none if the file is absent), each entry checked: a unique
    `id`, `name`, `city` and `life` in both languages, and an integer `age` from 13 to 99."""
    path = source_dir / CAST_FILE
    if not path.is_file():
        return []
    entries = read_toml(path).get("characters")
    if not isinstance(entries, list) or not entries:
        raise ContentError(f"{path}: needs at least one [[characters]] table")
    cast, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: character {number}"
        character_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(character_id, str) or not character_id.strip():
            raise ContentError(f"{where}: needs an 'id'")
        where = f"{path}: character '{character_id}'"
        if character_id in seen:
            raise ContentError(f"{where}: the id is used twice")
        seen.add(character_id)
        names = bilingual_texts(where, entry, "name")
        bilingual_texts(where, entry, "city")
        bilingual_texts(where, entry, "life")
        age = entry.get("age")
        if isinstance(age, bool) or not isinstance(age, int) or not 13 <= age <= 99:
            raise ContentError(f"{where}: 'age' must be a whole number from 13 to 99, not {age!r}")
        cast.append(Character(character_id, {lang: names[f"name_{lang}"] for lang in LANGUAGE_CODES}, age))
    return cast


# Arabic lessons write an age in digits ("كريم، 20 عامًا") or as an ordinal ("عمر في السادسة عشرة").
_AR_UNITS = {
    "الحادية": 1, "الحادي": 1, "الثانية": 2, "الثاني": 2, "الثالثة": 3, "الثالث": 3,
    "الرابعة": 4, "الرابع": 4, "الخامسة": 5, "الخامس": 5, "السادسة": 6, "السادس": 6,
    "السابعة": 7, "السابع": 7, "الثامنة": 8, "الثامن": 8, "التاسعة": 9, "التاسع": 9,
}  # fmt: skip
_AR_TENS = {
    "العشرين": 20, "الثلاثين": 30, "الأربعين": 40, "الخمسين": 50,
    "الستين": 60, "السبعين": 70, "الثمانين": 80, "التسعين": 90,
}  # fmt: skip


def _ar_ordinal_ages() -> dict[str, int]:
    """Every Arabic ordinal from 10 to 99, in both genders ("السادسة عشرة", "الرابع والعشرين"): its number."""
    ages = {"العاشرة": 10, "العاشر": 10, **_AR_TENS}
    for unit, value in _AR_UNITS.items():
        ages[f"{unit} {'عشرة' if unit.endswith('ة') else 'عشر'}"] = 10 + value
        for tens, tens_value in _AR_TENS.items():
            ages[f"{unit} و{tens}"] = tens_value + value
    return ages


AR_ORDINAL_AGES = _ar_ordinal_ages()
_AR_ORDINAL = "|".join(
    re.escape(words).replace(r"\ ", r"\s+") for words in sorted(AR_ORDINAL_AGES, key=len, reverse=True)
)
# "في الثانية عشرة ظهرًا" is a time of day, not an age.
_AR_CLOCK = r"(?!\s*(?:ظهر|صباح|مساء|ليل|ظهرًا|صباحًا|مساءً|ليلًا))"
_AR_LETTER = r"\u0621-\u064A\u064B-\u065F\u0670"
_AR_YEARS = r"(?:عامًا|عاماً|عاما|سنة|سنوات)"


def _age_patterns(name: str, language: str) -> list[re.Pattern]:
    """A name followed (or, in English, preceded) by an age, in the forms the lessons use; the age is
    group "digits" or group "words" (an Arabic ordinal)."""
    name = re.escape(name)
    if language == "ar":
        alone = rf"(?<![{_AR_LETTER}]){name}(?![{_AR_LETTER}])"
        # Digits need a comma or "عمره/عمرها" after the name: "عمر" is also the word for "age".
        digits_lead = r"(?:\s*،\s*(?:(?:وهو|وهي)\s+)?|\s+(?:عمره|عمرها)\s+)"
        words_lead = r"(?:\s*،\s*|\s+)(?:(?:وهو|وهي)\s+)?"
        return [
            re.compile(rf"{alone}{digits_lead}(?P<digits>\d+)\s*{_AR_YEARS}"),
            re.compile(rf"{alone}{words_lead}في\s+(?P<words>{_AR_ORDINAL})(?![{_AR_LETTER}]){_AR_CLOCK}"),
            re.compile(rf"{alone}\s*\(\s*(?P<digits>\d+)(?:\s*{_AR_YEARS})?\s*\)"),
        ]
    return [
        re.compile(rf"\b{name}, (?:who is |aged )?(?P<digits>\d+)\b(?=[,)])"),
        re.compile(rf"\b{name} \((?:aged )?(?P<digits>\d+)\)"),
        re.compile(rf"\b{name} is (?P<digits>\d+)\b(?!%| ?percent)"),
        re.compile(rf"\b(?P<digits>\d+)-year-old {name}\b"),
    ]


def _age_of(match: re.Match) -> int:
    groups = match.groupdict()
    if groups.get("digits"):
        return int(groups["digits"])
    return AR_ORDINAL_AGES[" ".join(groups["words"].split())]


def cast_check(*, path: Path, body: str, language: str, cast: list[Character]) -> None:
    """Every age the text gives next to a cast member's name is the age in the cast file."""
    for character in cast:
        for pattern in _age_patterns(character.names[language], language):
            for match in pattern.finditer(body):
                age = _age_of(match)
                if age != character.age:
                    raise ContentError(
                        f"{path}: {character.names[language]} ({character.id}) is {age} here "
                        f"but {character.age} in {CAST_FILE}"
                    )


def _texts(folder: Path, cast: list[Character], *, is_lesson: bool) -> dict[str, dict]:
    """{language: {"title", "summary", "body", "sources"}} from a folder's en.md and ar.md."""
    texts = {}
    for language in LANGUAGE_CODES:
        path = folder / f"{language}.md"
        meta, body = read_markdown(path)
        body_check(path=path, body=body)
        sources = sources_check(path=path, meta=meta, required=is_lesson)
        cast_check(path=path, body=body, language=language, cast=cast)
        texts[language] = {
            "title": right_to_left_ready(meta["title"].strip(), language),
            "summary": right_to_left_ready(meta["summary"].strip(), language),
            "body": body,
            "sources": sources,
        }
    addresses = {language: sorted({s["url"] for s in text["sources"]}) for language, text in texts.items()}
    if len({tuple(urls) for urls in addresses.values()}) > 1:
        raise ContentError(f"{folder}: en.md and ar.md must cite the same source addresses")
    return texts


def _module_fields(*, folder: Path, position: int, cast: list[Character]) -> dict:
    fields: dict = {"position": position}
    for language, text in _texts(folder, cast, is_lesson=False).items():
        fields[f"title_{language}"] = text["title"]
        fields[f"summary_{language}"] = text["summary"]
        fields.update(_module_overview(text["body"], language))
    return fields


def _lesson_fields(
    *, folder: Path, position: int, cast: list[Character], linkers: dict[str, TermLinker]
) -> tuple[dict, set[str]]:
    """Every stored field of a lesson, and the glossary terms it uses (in either language)."""
    fields: dict = {"position": position}
    terms_used: set[str] = set()
    for language, text in _texts(folder, cast, is_lesson=True).items():
        fields[f"title_{language}"] = text["title"]
        fields[f"summary_{language}"] = text["summary"]
        fields[f"sources_{language}"] = text["sources"]
        body = _lesson_body(text["body"], language, linkers[language])
        terms_used |= body.pop("terms_used")
        fields.update(body)
    return fields, terms_used


@transaction.atomic
def lessons_content_sync(*, source_dir: Path = CONTENT_DIR, prune: bool = False) -> SyncReport:
    """Create or update modules and lessons from `source_dir`; idempotent.

    Readers' progress is never touched. Modules or lessons that are no longer in the files are
    reported as stale, and deleted (with their read marks) only when `prune` is true.
    """
    report = SyncReport()
    cast = cast_load(source_dir=source_dir)
    terms = glossary_load(source_dir=source_dir)
    linkers = _linkers(terms)
    lessons_using: dict[str, list[Lesson]] = {term["key"]: [] for term in terms}
    seen_modules, seen_lessons = set(), set()
    for position, slug, folder in ordered_entries(source_dir):
        fields = _module_fields(folder=folder, position=position, cast=cast)
        module = report.upsert(Module, {"slug": slug}, fields)
        seen_modules.add(module.pk)
        lesson_entries = ordered_entries(folder)
        if not lesson_entries:
            raise ContentError(f"{folder}: a module needs at least one lesson folder")
        for lesson_position, lesson_slug, lesson_folder in lesson_entries:
            fields, terms_used = _lesson_fields(
                folder=lesson_folder, position=lesson_position, cast=cast, linkers=linkers
            )
            lesson = report.upsert(Lesson, {"module": module, "slug": lesson_slug}, fields)
            seen_lessons.add(lesson.pk)
            for key in terms_used:
                lessons_using[key].append(lesson)
    seen_terms = set()
    for term in terms:
        row = report.upsert(Term, {"key": term.pop("key")}, term)
        row.lessons.set(lessons_using[row.key])
        seen_terms.add(row.pk)
    report.stale_rows(
        Lesson.objects.exclude(pk__in=seen_lessons).select_related("module"),
        Module.objects.exclude(pk__in=seen_modules),
        Term.objects.exclude(pk__in=seen_terms),
        prune=prune,
    )
    return report
