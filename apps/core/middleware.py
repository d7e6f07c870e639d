from django.utils.cache import patch_cache_control

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
