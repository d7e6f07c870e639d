"""Numbers, fractions and dates that stay readable in right-to-left text (apps/core/templatetags)."""

import datetime

from django.template import Context, Template
from django.utils import translation

from apps.core.templatetags.datatrail import duration, format_percent, fraction, num, percent


def test_percent_is_localised_and_isolated():
    with translation.override("en"):
        assert percent(70) == '<bdi class="num">70%</bdi>'
        assert percent(69.6) == '<bdi class="num">70%</bdi>'
    with translation.override("ar"):
        assert percent(70) == '<bdi class="num">70\u066a</bdi>'
        assert format_percent(69.6) == "70\u066a"
    # No space between digits and sign: a space would let the sign drift to the wrong side in RTL.
    assert " " not in format_percent(70, "ar")
    assert format_percent(70, "en") == "70%"
    assert format_percent(None) == "\u2013"


def test_num_and_fraction_are_isolated():
    assert num(None) == ""
    assert num(12) == '<bdi class="num">12</bdi>'
    with translation.override("en"):
        assert fraction(2, 3) == '<bdi class="num">2 of 3</bdi>'


def test_a_duration_is_minutes_and_seconds_isolated():
    with translation.override("en"):
        assert duration(datetime.timedelta(minutes=3, seconds=5)) == '<bdi class="num">3 min 05 s</bdi>'
        assert duration(datetime.timedelta(seconds=42.4)) == '<bdi class="num">42 s</bdi>'
        assert duration(datetime.timedelta(minutes=75)) == '<bdi class="num">75 min 00 s</bdi>'
    assert duration(None) == ""


def test_dates_are_formatted_in_the_page_language():
    template = Template('{{ day|date:"j F Y" }}')
    day = datetime.date(2026, 11, 26)
    with translation.override("en"):
        assert "November" in template.render(Context({"day": day}))
    with translation.override("ar"):
        assert "نوفمبر" in template.render(Context({"day": day}))
