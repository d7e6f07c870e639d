"""The Arabic catalogue is complete and up to date with the code, and the committed .mo is compiled from
the committed .po."""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def _entries(po: Path = PO) -> list[dict]:
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                fields["flags"] = line
            match = re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            entries.append(fields)
    return entries


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 300
    for entry in entries:
        assert "fuzzy" not in entry.get("flags", ""), entry["msgid"]
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        assert translations and all(translations), entry["msgid"]


def test_compiled_catalogue_matches_the_source():
    with open(PO.with_suffix(".mo"), "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in _entries():
        if "msgid_plural" in entry:
            assert catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 5) == entry["msgstr[3]"]
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


def test_placeholders_survive_translation():
    for entry in _entries():
        expected = set(re.findall(r"%\(\w+\)s", entry["msgid"]))
        for key, value in entry.items():
            if key.startswith("msgstr") and key not in ("msgstr[1]", "msgstr[2]"):
                assert set(re.findall(r"%\(\w+\)s", value)) >= expected - {"%(counter)s"}, (
                    entry["msgid"],
                    value,
                )


def test_every_string_marked_in_code_and_templates_is_in_the_catalogue(tmp_path):
    """Run makemessages on a copy of the project: a string marked for translation in a template or in
    Python (form labels, CSV headers, messages) but missing from the committed catalogue fails here."""
    for folder in ("apps", "config", "templates"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "content")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "true"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    marked = {entry["msgid"] for entry in _entries(tmp_path / "locale" / "ar" / "LC_MESSAGES" / "django.po")}
    assert len(marked) > 300
    assert sorted(marked - {entry["msgid"] for entry in _entries()}) == []
