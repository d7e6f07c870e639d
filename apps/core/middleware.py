from django.shortcuts import render
from django.utils.cache import patch_cache_control

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
