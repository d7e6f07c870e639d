"""Pages the same for every reader who has nothing stored here, cached whole in each process.

A reader with no account and an empty session (no progress, no message waiting) gets the same page as
every other such reader, apart from the CSRF token: it is cut out when the page is stored and a fresh
one is put in for each request. The key holds the content version, so loading or editing content
retires every cached page; each process reads the version at most once a second, so on several
instances an edit shows everywhere within a second.
"""

import re
import time
from collections.abc import Callable
from functools import wraps

from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import ContentVersion

VERSION_TTL = 1.0
PAGE_TIMEOUT = 60 * 60 * 24
TOKEN_PLACE = "\x00csrf-token\x00"
# Where our templates put the CSRF token: form fields, and the htmx header on <body>.
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{32,64}"')
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")

_known_version: tuple[float, int] = (float("-inf"), 0)


def content_version() -> int:
    """The content version as this process last read it, read again when more than a second old."""
    global _known_version
    read_at, number = _known_version
    now = time.monotonic()
    if now - read_at > VERSION_TTL:
        number = ContentVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
        _known_version = (now, number)
    return number


def _forget_version() -> None:
    global _known_version
    _known_version = (float("-inf"), 0)
    _memo.clear()


_memo: dict = {}
_memo_version: list[int] = []


def content_memo(key: tuple, compute: Callable[[], object]):
    """A value computed from the content alone, kept in this process until the content version changes.
    Shared by every request of the process: callers must not change what it returns."""
    version = content_version()
    if _memo_version != [version]:
        _memo.clear()
        _memo_version[:] = [version]
    if key not in _memo:
        _memo[key] = compute()
    return _memo[key]


def content_changed() -> None:
    """Retire every page cached from the content: call inside the transaction that changed it."""
    ContentVersion.objects.get_or_create(pk=1)
    ContentVersion.objects.filter(pk=1).update(number=F("number") + 1)
    transaction.on_commit(_forget_version)


def cached_fragment(name: str, render: Callable[[], str]) -> SafeString:
    """HTML that is the same for everyone reading in this language, rendered once per content version."""
    key = f"fragment:{content_version()}:{get_language()}:{name}"
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, PAGE_TIMEOUT)
    return mark_safe(html)  # noqa: S308 (our own rendered template)


def _same_for_everyone(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and "HTTP_HX_REQUEST" not in request.META
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
        and not request.session.keys()
    )


def cached_for_anonymous(view):
    """Serve the view's 200 page from the cache to readers with nothing stored (see above). Put it
    closest to the view, so that method checks and Vary headers still apply."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _same_for_everyone(request):
            return view(request, *args, **kwargs)
        key = f"page:{content_version()}:{get_language()}:{request.get_host()}:{request.path}"
        stored = cache.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                html = TOKEN.sub(lambda m: m[1] + TOKEN_PLACE + '"', response.content.decode())
                headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
                cache.set(key, (html, headers), PAGE_TIMEOUT)
            return response
        html, headers = stored
        return HttpResponse(html.replace(TOKEN_PLACE, get_token(request)), headers=headers)

    return wrapper


class ContentAdminMixin:
    """For the admin of a content model: an edit or a deletion retires the pages cached from it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()
