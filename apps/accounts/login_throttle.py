"""Log-in throttling (django-axes), tuned for schools where a whole class shares one public address.

The lock is on the pair (username, client address): one pupil's typos never lock out the class, and
nobody can lock someone else's account from another address. Settings: AXES_* in config/settings.py.
"""

import unicodedata

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

USERNAME_MAX = 150


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The username as the log-in form will look it up (NFKC, trimmed), bounded and without NUL, so a
    hostile value can neither dodge the lock nor fail to be stored."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    if not isinstance(value, str):
        return ""
    value = unicodedata.normalize("NFKC", value).strip().replace("\x00", "")
    return value[:USERNAME_MAX]


def login_locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The log-in page again, with why and for how long, answered 429 Too Many Requests."""
    form = AuthenticationForm(request)
    context = {"form": form, "locked_out": True, "next": ""}
    return render(request, "accounts/login.html", context, status=429)


def login_lock_clear(*, username: str) -> None:
    """End every lock on this username (a teacher gave a new password, or the owner reset it)."""
    reset(username=username)


def login_failures_prune() -> int:
    """Delete the records of failed log-ins whose lock time is over (axes also does it at each log-in;
    this keeps the promise on a quiet day)."""
    deleted, _rows = AccessAttempt.objects.filter(
        attempt_time__lte=timezone.now() - settings.AXES_COOLOFF_TIME
    ).delete()
    return deleted
