"""Pages the same for every reader who has nothing stored here, cached whole in each process.

A reader with no account and an empty session (no progress, no message waiting) gets the same page as
every other such reader, apart from the CSRF token: it is cut out when the page is stored and a fresh
one is put in for each request. The key holds the content version, so loading or editing content
retires every cached page; each process reads the version at most once a second, so on several
instances an edit shows everywhere within a second.
"""

import re
import secrets
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
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
    # Not content HTML, so not sanitize_html(): the output of one of our templates, autoescaped when it
    # was rendered (any content HTML in it went through sanitize_html() when the content was loaded).
    return mark_safe(html)  # noqa: S308


def _same_for_everyone(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and "HTTP_HX_REQUEST" not in request.META
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
        and not request.session.keys()
    )


GZIP_LEVEL = 6
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Django's GZipMiddleware pads each response with a random-length file name against BREACH; so do we.
MAX_RANDOM_NAME = 100


def _deflate(data: bytes, *, last: bool) -> bytes:
    """Raw deflate blocks of `data` alone. Ended by a full flush, they start and end on a byte boundary
    and refer to nothing before them, so such segments can follow one another in one stream."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


@dataclass(frozen=True)
class StoredPage:
    """A page with its CSRF tokens cut out: the text between them, and that text compressed once."""

    parts: list[bytes]
    deflated_parts: list[bytes]
    headers: dict[str, str]

    @classmethod
    def of(cls, response: HttpResponse) -> "StoredPage":
        html = TOKEN.sub(lambda m: m[1] + TOKEN_PLACE + '"', response.content.decode())
        parts = [part.encode() for part in html.split(TOKEN_PLACE)]
        deflated = [_deflate(part, last=index == len(parts) - 1) for index, part in enumerate(parts)]
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        return cls(parts, deflated, headers)

    def plain(self, token: bytes) -> bytes:
        return token.join(self.parts)

    def gzipped(self, token: bytes) -> bytes:
        """The gzip file of the page with `token` in its places: only the token is compressed now. Each
        token is its own deflate segment, so it shares no dictionary with the page around it."""
        name = b"a" * secrets.randbelow(MAX_RANDOM_NAME)
        header = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + name + b"\x00"
        deflated_token = _deflate(token, last=False)
        body = deflated_token.join(self.deflated_parts)
        plain = self.plain(token)
        return header + body + struct.pack("<II", zlib.crc32(plain), len(plain) & 0xFFFFFFFF)

    def response(self, request: HttpRequest) -> HttpResponse:
        token = get_token(request).encode()
        if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            response = HttpResponse(self.plain(token), headers=self.headers)
        else:
            response = HttpResponse(self.gzipped(token), headers=self.headers)
            response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ("Accept-Encoding",))
        return response


def _storable(response: HttpResponse) -> bool:
    """A whole page that sets nothing for its reader: a refusal, a redirect or a cookie is never kept."""
    return response.status_code == 200 and not response.streaming and not response.cookies


def _message_waiting(request: HttpRequest) -> bool:
    return CookieStorage.cookie_name in request.COOKIES or "_messages" in request.session


def cached_page(
    request: HttpRequest, *, key: str, version: str, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """A GET page kept in this process, with a fresh CSRF token put in for each request.

    `key` names the page and who it is for; `version` must change whenever anything the page shows
    does, and is read before the page is rendered, so a page is never stored under a newer version
    than its data. One entry per key: a new version replaces the old page. A page with a message
    waiting is always rendered (the message is shown once)."""
    if request.method not in ("GET", "HEAD") or _message_waiting(request):
        return render()
    key = f"page:{get_language()}:{request.get_host()}:{key}"
    version = f"{content_version()}:{version}"
    stored = cache.get(key)
    if stored is not None and stored[0] == version:
        return stored[1].response(request)
    response = render()
    if _storable(response):
        cache.set(key, (version, StoredPage.of(response)), PAGE_TIMEOUT)
    return response


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
            if _storable(response):
                cache.set(key, StoredPage.of(response), PAGE_TIMEOUT)
            return response
        return stored.response(request)

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
