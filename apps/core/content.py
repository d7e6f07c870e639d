"""Helpers shared by the apps that load content files from the repository."""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models

from apps.core.bidi import isolate_latin_runs
from apps.core.i18n import LANGUAGE_CODES, Text

FRONT_MATTER = re.compile(r"\A\+\+\+\n(?P<meta>.*?)\n\+\+\+\n(?P<body>.*)\Z", re.DOTALL)
ORDERED_NAME = re.compile(r"\A(?P<position>\d+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\Z")


class ContentError(Exception):
    """A content file breaks a rule; the message names the file and what is wrong."""


@dataclass
class SyncReport:
    """What a content sync did: rows created, updated and unchanged, and rows no longer in the files."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)

    def upsert(self, model: type[models.Model], lookup: dict, fields: dict) -> models.Model:
        """The row matching `lookup` with `fields` stored: created, updated only where a value
        differs, or left alone; counted as one of the three."""
        row = model._default_manager.filter(**lookup).first()
        if row is None:
            self.created += 1
            return model._default_manager.create(**lookup, **fields)
        changed = [name for name, value in fields.items() if _stored(row, name) != _comparable(value)]
        if changed:
            for name in changed:
                setattr(row, name, fields[name])
            row.save(update_fields=changed)
            self.updated += 1
        else:
            self.unchanged += 1
        return row

    def stale_rows(self, *querysets, prune: bool) -> None:
        """Report rows no longer in the files; delete them (children first) only when `prune`."""
        self.stale = [str(row) for queryset in querysets for row in queryset]
        if prune:
            for queryset in querysets:
                queryset.delete()


def _stored(row: models.Model, name: str):
    field = row._meta.get_field(name)
    return getattr(row, field.attname)


def _comparable(value):
    return value.pk if isinstance(value, models.Model) else value


def bilingual_texts(where: str, data: dict, name: str, *, required: bool = True) -> dict[str, str]:
    """`name.en` and `name.ar` from a TOML table, as {"name_en": ..., "name_ar": ...}."""
    value = data.get(name)
    if not isinstance(value, dict):
        value = {}
        if required:
            raise ContentError(f"{where}: '{name}' needs an 'en' and an 'ar' text")
    texts = {}
    for language in LANGUAGE_CODES:
        text = value.get(language, "")
        if not isinstance(text, str) or (required and not text.strip()):
            raise ContentError(f"{where}: '{name}.{language}' is missing or empty")
        texts[f"{name}_{language}"] = right_to_left_ready(text.strip(), language)
    return texts


def bilingual_text(where: str, data: dict, name: str) -> Text:
    """`name.en` and `name.ar` from a TOML table as one Text, shown in the language of the request:
    for content that is read from its file when used, not stored in the database."""
    texts = bilingual_texts(where, data, name)
    return Text(tuple((language, texts[f"{name}_{language}"]) for language in LANGUAGE_CODES))


def right_to_left_ready(text: str, language: str) -> str:
    """Plain text as stored: in Arabic, mixed Latin runs are isolated so they display in order."""
    return isolate_latin_runs(text) if language == "ar" else text


def read_markdown(path: Path, required: tuple[str, ...] = ("title", "summary")) -> tuple[dict, str]:
    """Split a Markdown file into its TOML front matter and body."""
    if not path.is_file():
        raise ContentError(f"{path}: missing file")
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        raise ContentError(f"{path}: must start with TOML front matter between '+++' lines")
    try:
        meta = tomllib.loads(match["meta"])
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: front matter is not valid TOML: {error}") from error
    for key in required:
        if not str(meta.get(key, "")).strip():
            raise ContentError(f"{path}: front matter needs a non-empty '{key}'")
    return meta, match["body"].strip() + "\n"


def read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: not valid TOML: {error}") from error


def ordered_entries(folder: Path, *, dirs: bool = True, suffix: str = "") -> list[tuple[int, str, Path]]:
    """Entries named like '01-profiling' (or '01-profiling.toml'), in order: (position, slug, path)."""
    entries = []
    for path in sorted(folder.iterdir()):
        if dirs != path.is_dir() or path.name.startswith((".", "_")):
            continue
        name = path.name.removesuffix(suffix) if suffix else path.name
        if suffix and not path.name.endswith(suffix):
            continue
        match = ORDERED_NAME.match(name)
        if not match:
            raise ContentError(f"{path}: name must look like '01-some-slug{suffix}'")
        entries.append((int(match["position"]), match["slug"], path))
    return entries


FIGURE_BLOCK = re.compile(r"<figure\b.*?</figure>", re.DOTALL | re.IGNORECASE)
MARKUP = re.compile(r"<[^>]+>|[#*_>`|\[\]()-]{1,}")
WORDS_PER_MINUTE = {"en": 200, "ar": 170}


def prose_word_count(markdown_text: str) -> int:
    """Words a reader reads: diagrams and Markdown punctuation left out."""
    text = FIGURE_BLOCK.sub(" ", markdown_text)
    text = re.sub(r"\]\([^)]*\)", "] ", text)
    text = MARKUP.sub(" ", text)
    return len(text.split())


def reading_minutes(markdown_text: str, language: str) -> int:
    return max(1, round(prose_word_count(markdown_text) / WORDS_PER_MINUTE[language]))
