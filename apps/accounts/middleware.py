from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect

# What a person who must choose a new password can still reach: the page to choose it, log-out, and
# what is no page (the health check, icons, robots.txt). The language switch links to the same page
# in the other language, so it stays on the password page.
ALLOWED_VIEWS = {"accounts:password_change", "accounts:logout", "healthz", "favicon", "robots_txt"}


class PasswordChangeRequiredMiddleware:
    """Send a logged-in user whose password a teacher set (`must_change_password`) to the password
    change page, whatever they ask for, until they choose their own. htmx requests get an
    `HX-Redirect` header (a 302 would be followed by htmx and swapped into the page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password and not _allowed(request):
            url = reverse("accounts:password_change")
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect(url)
            return redirect(url)
        return self.get_response(request)


def _allowed(request) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # the language redirect or the not-found page
    return match.view_name in ALLOWED_VIEWS
