import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    """The address of the browser that sent this request, as throttles must see it.

    With TRUSTED_PROXY_COUNT = 0 the site is reached directly: REMOTE_ADDR is the client, and
    X-Forwarded-For is whatever the client chose to send. With N trusted proxies in front, each
    appends the address it received the request from, so the N-th entry from the right was written
    by the outermost proxy and is the client's address; everything to its left was sent by the
    client, and the entries to its right (and REMOTE_ADDR) are the proxies themselves. A header too
    short or not an address means the request did not come through the proxies (or they are not
    configured as counted), so REMOTE_ADDR, the peer that certainly sent it, is used.
    """
    remote_address = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_address
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(entries) < count:
        return remote_address
    try:
        return str(ipaddress.ip_address(entries[-count].strip()))
    except ValueError:
        return remote_address


def refuse(request: HttpRequest, reason: str) -> HttpResponse:
    """400 with the reason on our error page, in the page's language: for a field only a tampered
    form (or a very old page) can get wrong. Nothing has been changed."""
    return render(request, "400.html", {"reason": reason}, status=400)
