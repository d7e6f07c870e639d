"""Checks for a username chosen now: at sign-up, and for the accounts a teacher creates for a class."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.names import refuse_bidi_controls, refuse_mixed_scripts

from .selectors import username_looks_taken

LOOKS_TAKEN = _("This username looks too much like an existing one. Add a number or choose another.")


def looks_taken_error() -> ValidationError:
    return ValidationError(LOOKS_TAKEN, code="username_confusable")


def validate_username_characters(username: str) -> None:
    """No invisible format characters, and letters from one script only."""
    refuse_bidi_controls(username)
    refuse_mixed_scripts(username)


def validate_new_username(username: str) -> None:
    """Everything a new username must pass besides Django's own rules (allowed characters, length,
    not taken exactly): clean characters, and not confusable with an existing username. Give it the
    normalised username (`apps.core.names.username_normalize`). The unique skeleton column refuses a
    look-alike that slips past this check in a race: catch IntegrityError and use `looks_taken_error()`."""
    validate_username_characters(username)
    if username_looks_taken(username=username):
        raise looks_taken_error()
