"""Names people type (usernames, display names, class names): what we refuse and how we compare them.

A name is shown to others (a classmate in the grid, a teacher's CSV), so it must look like what it is:
no invisible characters that reorder or hide text, no letters from two scripts, and no new username that
looks like an existing one. Comparison goes through *skeletons* (UTS #39 in spirit): two usernames that
a reader could mistake for each other have the same skeleton, so unique columns of skeletons refuse
the second one, even when two sign-ups race.
"""

import functools
import unicodedata

from confusable_homoglyphs import categories, confusables
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Scripts that go with any other: digits, punctuation, combining marks.
NEUTRAL_SCRIPTS = {"COMMON", "INHERITED"}
# The library wraps right-to-left characters in left-to-right marks for display; they are not data.
_DISPLAY_MARKS = str.maketrans("", "", "\u200e\u200f")


def has_format_characters(value: str) -> bool:
    """True if the text holds an invisible format character (Unicode category Cf): bidi marks,
    embeddings, overrides and isolates (U+200E/F, U+202A-202E, U+2066-2069, U+061C), zero-width
    characters (U+200B-200D, U+FEFF), the soft hyphen and the like."""
    return any(unicodedata.category(char) == "Cf" for char in value)


def refuse_bidi_controls(value: str) -> None:
    """Validator: refuse text holding bidi controls or other invisible format characters, which can
    make a name display as something else (reordered, or with hidden characters)."""
    if has_format_characters(value):
        raise ValidationError(
            _("Remove the invisible formatting characters (such as direction marks) from this name."),
            code="format_characters",
        )


def display_name_normalize(value: str) -> str:
    """A display name as stored: trimmed, every run of spaces made one space."""
    return " ".join(value.split())


def username_normalize(value: str) -> str:
    """A username as stored: NFKC (so full-width or styled letters become plain ones), trimmed."""
    return unicodedata.normalize("NFKC", value).strip()


def scripts_of(value: str) -> set[str]:
    """The scripts of the text's letters (LATIN, ARABIC, CYRILLIC...), digits and punctuation aside."""
    return categories.unique_aliases(value) - NEUTRAL_SCRIPTS


def refuse_mixed_scripts(value: str) -> None:
    """Validator: refuse a username whose letters come from more than one script ("sara" with a
    Cyrillic "ѕ"). An all-Arabic or all-Latin username, with any digits, is fine."""
    if len(scripts_of(value)) > 1:
        raise ValidationError(
            _("Use letters from one alphabet only (for example only Arabic or only Latin letters)."),
            code="mixed_scripts",
        )


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each confusable character's prototype, the character (or characters: "m" is "rn") it is
    taken for, as in Unicode's confusables.txt ("ѕ" -> "s", "I" -> "l", "0" -> "O").

    The library lists look-alikes both ways: a source character lists its one prototype, a prototype
    lists all its sources. So a one-entry list names a prototype, except for a prototype with a single
    source, where the two name each other: the smaller code point stands for both.
    """
    lists: dict[str, list[str]] = {}
    for raw, entries in confusables.confusables_data.items():
        key = raw.translate(_DISPLAY_MARKS)
        lists.setdefault(key, []).extend(entry["c"].translate(_DISPLAY_MARKS) for entry in entries)
    prototypes = {}
    for char, targets in lists.items():
        targets = list(dict.fromkeys(targets))
        if len(char) != 1 or len(targets) != 1:
            continue
        target = targets[0]
        mutual = lists.get(target) == [char]
        if not mutual or target < char:
            prototypes[char] = target
    return prototypes


def _mapped(text: str, prototypes: dict[str, str]) -> str:
    return "".join(prototypes.get(char, char) for char in text)


def username_skeleton(value: str) -> str:
    """What a username looks like, case aside: equal skeletons mean a reader could take one name for
    the other ("Sara", "SARA" and "ѕara"; "0mar" and "omar"; "rn" and "m")."""
    return _mapped(unicodedata.normalize("NFKC", value).casefold(), _prototypes())


def username_skeleton_cased(value: str) -> str:
    """What a username looks like as written, then case aside: catches the look-alikes that only exist
    between cases ("paypaI" with a capital i and "paypal"). Kept apart from `username_skeleton`
    because folding both ways in one key would make every "i" an "l" ("ali" would block "all")."""
    prototypes = _prototypes()
    return _mapped(_mapped(unicodedata.normalize("NFKC", value), prototypes).casefold(), prototypes)
