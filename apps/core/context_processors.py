import functools
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_info


@functools.lru_cache(maxsize=1024)
def _translated(url: str, code: str) -> str:
    """translate_url() resolves and reverses the path on every call; the URL patterns never change
    while the process runs, so each answer is kept (the most recent 1,024)."""
    return translate_url(url, code)


def _is_local_path(url: str) -> bool:
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def _language_url(request: HttpRequest, code: str) -> str:
    """This page in `code`, with a same-site `next` (log-in, sign-up) in `code` too. A path that would
    read as another site's address ("//host/...", "/\\host") links to the home page instead."""
    if not _is_local_path(request.get_full_path()):
        return _translated(reverse("pages:home"), code)
    url = _translated(request.get_full_path(), code)
    if "next" not in request.GET:
        return url
    query = request.GET.copy()
    if _is_local_path(query["next"]):
        query["next"] = _translated(query["next"], code)
    else:
        # Log-in would refuse it anyway; a link of ours should not carry an off-site target further.
        del query["next"]
    return urlunsplit(urlsplit(url)._replace(query=query.urlencode(safe="/")))


# The header's section for each view, by (app, view name) or by app: the link marked as the current page.
NAV_SECTIONS = {
    ("classrooms", "class_list"): "classes",
    ("classrooms", "class_detail"): "classes",
    ("classrooms", "dashboard"): "dashboard",
    "lessons": "modules",
    "quizzes": "modules",
    "checklist": "checklist",
}


def _nav_section(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return ""
    return NAV_SECTIONS.get((match.app_name, match.url_name)) or NAV_SECTIONS.get(match.app_name, "")


def site(request: HttpRequest) -> dict:
    """Language links that keep the reader on the same page, and the header's current section (the
    header is kept rendered per language, role and section: base.html)."""
    current = get_language()
    switch = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        switch.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": _language_url(request, code),
                "current": code == current,
            }
        )
    return {"language_switch": switch, "nav_section": _nav_section(request)}
