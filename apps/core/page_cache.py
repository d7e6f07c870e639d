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
from django.utils.html import escape
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


def cached_hole(request: HttpRequest, *, key: str, render: Callable[[], str]) -> SafeString:
    """A hole's HTML (see cached_page_with_holes) that is the same for every reader in one state, which
    `key` must name in full: rendered once per content version and language with its CSRF tokens cut
    out, then given this request's token."""
    key = f"hole:{content_version()}:{get_language()}:{key}"
    html = cache.get(key)
    if html is None:
        html = _tokens_cut_out(str(render()))
        cache.set(key, html, PAGE_TIMEOUT)
    # Not content HTML, so not sanitize_html(): the output of one of our templates, autoescaped when it
    # was rendered (any content HTML in it went through sanitize_html() when the content was loaded).
    return mark_safe(html.replace(TOKEN_PLACE, _token(request)))  # noqa: S308


def _tokens_cut_out(html: str) -> str:
    """The HTML with TOKEN_PLACE where each CSRF token was: nothing of one reader is kept."""
    return TOKEN.sub(lambda m: m[1] + TOKEN_PLACE + '"', html)


def _token(request: HttpRequest) -> str:
    """The CSRF token for everything kept that this request's page is made of: masked once, as a
    template's {% csrf_token %} is for a whole page (masking draws 32 random characters each time)."""
    secret = request.META.get("CSRF_COOKIE")
    kept = getattr(request, "_kept_csrf_token", None)
    if kept is None or kept[0] != secret:
        token = get_token(request)
        kept = (request.META.get("CSRF_COOKIE"), token)
        request._kept_csrf_token = kept
    return kept[1]


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


def hole(name: str) -> SafeString:
    """Where a part of a kept page differs from reader to reader (see cached_page_with_holes)."""
    return mark_safe(f"\x00hole:{name}\x00")  # noqa: S308 (a marker of ours, no text in it)


# The places a stored page is cut at: the CSRF tokens (TOKEN_PLACE) and the holes.
SLOT = re.compile("\x00(csrf-token|hole:[a-z_]+)\x00")


@dataclass(frozen=True)
class StoredPage:
    """A page cut at its CSRF tokens and its holes: the text between them, compressed once, and what
    goes in each place ("csrf-token", or "hole:<name>")."""

    parts: list[bytes]
    deflated_parts: list[bytes]
    slots: list[str]
    headers: dict[str, str]

    @classmethod
    def of(cls, response: HttpResponse) -> "StoredPage":
        html = _tokens_cut_out(response.content.decode())
        pieces = SLOT.split(html)
        parts = [part.encode() for part in pieces[0::2]]
        deflated = [_deflate(part, last=index == len(parts) - 1) for index, part in enumerate(parts)]
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        return cls(parts, deflated, pieces[1::2], headers)

    def _filled(self, parts: list[bytes], fills: dict[str, bytes]) -> bytes:
        pieces = [parts[0]]
        for slot, part in zip(self.slots, parts[1:], strict=True):
            pieces += [fills[slot], part]
        return b"".join(pieces)

    def plain(self, fills: dict[str, bytes]) -> bytes:
        return self._filled(self.parts, fills)

    def gzipped(self, fills: dict[str, bytes]) -> bytes:
        """The gzip file of the page with `fills` in its places: only they are compressed now, each as
        its own deflate segment, sharing no dictionary with the page around it (so a token's bytes
        cannot be guessed from how well the page compresses)."""
        name = b"a" * secrets.randbelow(MAX_RANDOM_NAME)
        header = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + name + b"\x00"
        body = self._filled(self.deflated_parts, {k: _deflate(v, last=False) for k, v in fills.items()})
        plain = self.plain(fills)
        return header + body + struct.pack("<II", zlib.crc32(plain), len(plain) & 0xFFFFFFFF)

    def response(self, request: HttpRequest, holes: dict[str, str] | None = None) -> HttpResponse:
        fills = {f"hole:{name}": html.encode() for name, html in (holes or {}).items()}
        fills["csrf-token"] = _token(request).encode()
        if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            response = HttpResponse(self.plain(fills), headers=self.headers)
        else:
            response = HttpResponse(self.gzipped(fills), headers=self.headers)
            response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ("Accept-Encoding",))
        return response


def _storable(response: HttpResponse) -> bool:
    """A whole page that sets nothing for its reader: a refusal, a redirect or a cookie is never kept,
    nor a page compressed already (one served from a cache)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
    )


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


def _audience(request: HttpRequest) -> str:
    """Who the page's header is for: the same links for every reader of one role."""
    return request.user.role if request.user.is_authenticated else "anonymous"


def cached_page_with_holes(
    request: HttpRequest,
    *,
    key: str,
    render: Callable[[dict[str, SafeString]], HttpResponse],
    holes: dict[str, Callable[[], str]],
) -> HttpResponse:
    """A GET page that differs from reader to reader only in its `holes` (and its CSRF tokens and the
    reader's name in the header), kept in this process per page, language and role.

    `render(values)` renders the whole page with `values` (HTML) in its holes' context variables;
    `holes` renders each hole alone for this request, as HTML (a SafeString). The page is rendered once
    per content version with a marker in each hole, then each request renders only its holes. `key`
    must name everything else the page shows. A page with a message waiting, or with a query string,
    is rendered whole."""
    holes = {**holes, "account_name": lambda: escape(request.user.get_username())}
    whole = request.method not in ("GET", "HEAD") or request.GET or _message_waiting(request)
    # A reader with nothing stored gets the whole page, which cached_for_anonymous keeps.
    if whole or _same_for_everyone(request):
        return render({name: fill() for name, fill in holes.items()})
    key = f"shell:{content_version()}:{get_language()}:{request.get_host()}:{_audience(request)}:{key}"
    stored = cache.get(key)
    if stored is None:
        # Rendered for this reader, with markers where the page is theirs: nothing of theirs is kept.
        response = render({name: hole(name) for name in holes})
        if not _storable(response):
            return render({name: fill() for name, fill in holes.items()})
        stored = StoredPage.of(response)
        cache.set(key, stored, PAGE_TIMEOUT)
    return stored.response(request, {name: str(fill()) for name, fill in holes.items()})


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
