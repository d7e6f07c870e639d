"""Number formatting that stays readable inside right-to-left text, and small display filters.

Numbers are wrapped in <bdi> so the bidi algorithm isolates them from the words around them; the
percent sign follows the digits with no space (Arabic uses U+066A), so "70%" never turns into "% 70".
"""

import datetime
from urllib.parse import urlsplit

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

PERCENT_SIGN = {"ar": "\u066a"}


def format_percent(value: float | int | None, language: str | None = None) -> str:
    language = (language or get_language() or "en").split("-")[0]
    if value is None:
        return "\u2013"
    rounded = round(float(value))
    return f"{number_format(rounded, use_l10n=True)}{PERCENT_SIGN.get(language, '%')}"


@register.filter
def percent(value):
    """70 -> <bdi class="num">70%</bdi> (٪ in Arabic)."""
    return format_html('<bdi class="num">{}</bdi>', format_percent(value))


@register.filter
def num(value):
    """A localised number isolated from surrounding text."""
    if value is None:
        return ""
    return format_html('<bdi class="num">{}</bdi>', number_format(value, use_l10n=True))


@register.simple_tag
def fraction(done, total):
    """'3 of 10' as one isolated, translated phrase."""
    from django.utils.translation import gettext

    return format_html(
        '<bdi class="num">{}</bdi>',
        gettext("%(done)s of %(total)s")
        % {
            "done": number_format(done, use_l10n=True),
            "total": number_format(total, use_l10n=True),
        },
    )


@register.filter
def host(url: str) -> str:
    """The site a link goes to, as a reader recognises it: "eur-lex.europa.eu" for a long address."""
    name = urlsplit(str(url)).hostname or ""
    return name.removeprefix("www.")


@register.filter
def iso_date(value: str) -> datetime.date | None:
    """A stored "2026-12-01" as a date, for the `date` filter; None when it is not one."""
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def duration(value: datetime.timedelta | None):
    """A time taken as "3 min 05 s" (or "42 s"), isolated from the words around it; "" for None."""
    from django.utils.translation import gettext

    if value is None:
        return ""
    minutes, seconds = divmod(max(0, round(value.total_seconds())), 60)
    if minutes:
        text = gettext("%(minutes)s min %(seconds)s s") % {
            "minutes": number_format(minutes, use_l10n=True),
            "seconds": f"{seconds:02d}",
        }
    else:
        text = gettext("%(seconds)s s") % {"seconds": number_format(seconds, use_l10n=True)}
    return format_html('<bdi class="num">{}</bdi>', text)


@register.filter
def get(mapping, key):
    """mapping[key], or None: a lookup by a variable's value, which template syntax cannot spell."""
    return mapping.get(key) if mapping is not None else None
