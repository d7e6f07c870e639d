from importlib import import_module

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext

from .http import refuse
from .throttle import TooManyRequests

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "browsing-topics",  # opt our pages out of the browser's ad-interest Topics API
        "interest-cohort",
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
    )
)


class PrivacyHeadersMiddleware:
    """Headers that keep our readers' data to themselves.

    Pages shown to a logged-in person are never stored by the browser or a proxy: many learners use
    shared school computers, where the back button after logging out must not show someone's progress.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            patch_cache_control(response, private=True, no_store=True)
        return response


class TooManyRequestsMiddleware:
    """A throttle's refusal (core.throttle.TooManyRequests), raised anywhere in a view, becomes a 429
    page with its message; the view's transaction has rolled back, so nothing was changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TooManyRequests):
            response = render(request, "429.html", {"message": str(exception)}, status=429)
            response["Retry-After"] = "600"
            return response
        return None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(value: str) -> bool:
    return "\x00" in value


class BadInputMiddleware:
    """Input no page can use is stopped here, before any view or query sees it.

    A cookie holding a NUL byte (PostgreSQL refuses NUL in text) is dropped: the browser is then
    treated as having no such cookie (a fresh session, a new CSRF cookie). A NUL in the path, the query
    or a form field, or a form declared in another charset than UTF-8, is answered 400 with the
    reason, in the page's language (this runs after LocaleMiddleware), and nothing changes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad_cookies = [name for name, value in request.COOKIES.items() if _has_nul(name) or _has_nul(value)]
        for name in bad_cookies:
            del request.COOKIES[name]
        if settings.SESSION_COOKIE_NAME in bad_cookies:
            request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        reason = self._refusal(request)
        if reason:
            return refuse(request, reason)
        return self.get_response(request)

    @staticmethod
    def _refusal(request) -> str:
        query = request.GET.lists()
        if _has_nul(request.path) or any(_has_nul(k) or any(_has_nul(v) for v in vs) for k, vs in query):
            return gettext("The address contains a character that is not allowed.")
        if request.method != "POST":
            return ""
        # Django itself reads urlencoded forms only as "utf-8", however else UTF-8 may be spelled.
        charset = request.content_params.get("charset", "utf-8").lower()
        if request.content_type in FORM_TYPES and charset != "utf-8":
            return gettext("Forms must be sent as UTF-8.")
        if any(_has_nul(key) or any(_has_nul(v) for v in values) for key, values in request.POST.lists()):
            return gettext("The form contains a character that is not allowed.")
        return ""
