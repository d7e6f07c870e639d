"""Search (/<lang>/search/): lessons and checklist items in the current language, over HTTP."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.lessons.models import Term
from apps.pages.selectors import search_results
from tests.factories import ChecklistItemFactory, LessonFactory
from tests.helpers import assert_csp_clean

pytestmark = pytest.mark.django_db

_RESULT = re.compile(r'<li class="search-result">(.*?)</li>', re.DOTALL)


def _search(client, query: str, *, lang: str = "en", status: int = 200) -> str:
    response = client.get(f"/{lang}/search/", {"q": query})
    assert response.status_code == status, response.content[:300]
    return response.content.decode()


def _results(body: str) -> list[str]:
    return _RESULT.findall(body)


def _status(body: str) -> str:
    text = re.search(r'<p class="search-status" role="status">(.*?)</p>', body, re.DOTALL)[1]
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


@pytest.fixture
def ads_lesson():
    """A lesson whose Arabic is written with hamzas, tashkeel, taa marbuta and alef maqsura."""
    return LessonFactory(
        title_en="Personalised ads",
        title_ar="الإعلانات المُخصّصة",
        summary_en="How a library of profiles is built.",
        summary_ar="كيف تُبنى مكتبة الملفات.",
        body_html_en="<p>Adverts chosen from what you <em>liked</em>, on a zebracrossing.</p>",
        body_html_ar="<p>تصلك إعلانات مُخصّصة بناءً على ما أعجبك، والقرار على عاتقك.</p>",
    )


def test_an_empty_query_shows_the_form_only(client):
    for query in ("", "   "):
        body = _search(client, query)
        assert 'id="search-q"' in body and _results(body) == [] and _status(body) == ""
    assert client.get("/en/search/").status_code == 200


def test_lessons_are_found_by_title_summary_and_body_whatever_the_case(client):
    [title] = _results(_search(client, "ALPHA lesson 1"))
    assert 'href="/en/modules/alpha/first-steps/"' in title
    assert "<mark>Alpha</mark> <mark>lesson</mark> <mark>1</mark>: first-steps" in title
    assert "Lesson · Alpha: how traces add up" in title
    body = _search(client, "fixture body beta/habits")
    [habits] = _results(body)
    assert 'href="/en/modules/beta/habits/"' in habits
    assert (
        "A <mark>fixture</mark> lesson <mark>body</mark> for <mark>beta</mark>/<mark>habits</mark>." in habits
    )
    assert _status(body) == "1 result for “fixture body beta/habits”"


def test_every_word_must_appear(client, ads_lesson):
    assert len(_results(_search(client, "personalised zebracrossing"))) == 1
    assert _results(_search(client, "personalised alpha")) == []
    assert "No results for “personalised alpha”" in _status(_search(client, "personalised alpha"))


@pytest.mark.parametrize(
    "query",
    ["اعلانات مخصصه", "الإعلانات المُخصّصة", "مكتبه", "علي عاتقك", "اعجبك", "مخصّـصة"],
)
def test_arabic_matching_ignores_tashkeel_hamza_taa_marbuta_and_alef_maqsura(client, ads_lesson, query):
    [result] = _results(_search(client, query, lang="ar"))
    assert f'href="/ar/modules/{ads_lesson.module.slug}/{ads_lesson.slug}/"' in result


def test_the_excerpt_marks_the_words_as_written(client, ads_lesson):
    [result] = _results(_search(client, "اعلانات مخصصه", lang="ar"))
    assert "<mark>الإعلانات</mark> <mark>المُخصّصة</mark>" in result  # the title
    assert "تصلك <mark>إعلانات</mark> <mark>مُخصّصة</mark> بناءً" in result  # the body, not the summary
    assert "درس · " in result
    [result] = _results(_search(client, "مكتبه", lang="ar"))
    assert "كيف تُبنى <mark>مكتبة</mark> الملفات." in result


def test_only_the_current_language_is_searched(client, ads_lesson):
    assert len(_results(_search(client, "zebracrossing"))) == 1
    assert _results(_search(client, "zebracrossing", lang="ar")) == []
    assert _results(_search(client, "Personalised", lang="ar")) == []
    assert _results(_search(client, "مكتبه", lang="en")) == []


def test_checklist_items_are_found_by_title_why_and_steps_and_link_to_their_row(client):
    item = ChecklistItemFactory(
        title_en="Turn off contact syncing",
        title_ar="أوقف مزامنة جهات الاتصال",
        why_en="Your address book tells who you know.",
        why_ar="دفتر العناوين يكشف من تعرف.",
        steps_en=["Settings", "Account Centre", "Upload contacts"],
        steps_ar=["الإعدادات", "مركز الحسابات", "تحميل جهات الاتصال"],
    )
    anchor = f'href="/en/checklist/{item.group.slug}/#item-{item.key}"'
    for query in ("contact syncing", "address book", "account centre upload"):
        [result] = _results(_search(client, query))
        assert anchor in result and f"Checklist item · {item.group.title_en}" in result
    [result] = _results(_search(client, "مركز الحسابات", lang="ar"))
    assert f'href="/ar/checklist/{item.group.slug}/#item-{item.key}"' in result
    assert "<mark>مركز</mark> <mark>الحسابات</mark>" in result
    group_page = client.get(f"/en/checklist/{item.group.slug}/").content.decode()
    assert f'id="item-{item.key}"' in group_page


def test_fixture_checklist_items_are_found(client):
    [result] = _results(_search(client, "tag-approval"))
    assert 'href="/en/checklist/photobook/#item-tag-approval"' in result
    assert "Checklist item · Photobook" in result


def test_results_whose_title_matches_come_first(client):
    LessonFactory(title_en="Something else", summary_en="About a uniqueword here.")
    LessonFactory(title_en="The uniqueword lesson")
    results = _results(_search(client, "uniqueword"))
    assert [("The" in r, "Something" in r) for r in results] == [(True, False), (False, True)]


def test_query_and_content_are_escaped(client):
    LessonFactory(
        title_en="Cookies <b>& you</b>", body_html_en="<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    body = _search(client, "<script>alert(1)</script>")
    assert "<script>alert" not in body
    assert "“<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>”" in body
    [result] = _results(body)
    assert (
        "&lt;<mark>script</mark>&gt;<mark>alert</mark>(<mark>1</mark>)&lt;/<mark>script</mark>&gt;" in result
    )
    [result] = _results(_search(client, "cookies"))
    assert "<mark>Cookies</mark> &lt;b&gt;&amp; you&lt;/b&gt;" in result
    assert_csp_clean(body)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_long_query_is_refused_with_a_message_in_the_page_language(client, lang):
    assert _search(client, "a" * 100, lang=lang)
    body = _search(client, "a" * 101, lang=lang, status=400)
    message = {"en": "Search for at most 100 characters.", "ar": "اكتب في البحث 100 حرفًا على الأكثر."}
    assert message[lang] in body and 'aria-invalid="true"' in body
    assert f'value="{"a" * 100}"' in body and _results(body) == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_nul_byte_is_refused(client, lang):
    body = _search(client, "alpha\x00", lang=lang, status=400)
    message = "The address contains a character that is not allowed." if lang == "en" else "العنوان"
    assert "\x00" not in body and message in body
    assert client.get(f"/{lang}/search/?q=%00").status_code == 400


def test_search_answers_get_and_head_only(client):
    assert client.head("/en/search/?q=alpha").status_code == 200
    assert client.post("/en/search/", {"q": "alpha"}).status_code == 405


def test_odd_input_never_fails(client):
    for query in ("%", "_", "'; DROP TABLE x; --", "\\", "«»", "ـــ", "ً", "\ufeff", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"):
        _search(client, query)
        _search(client, query, lang="ar")
    assert client.get("/en/search/?q=a&q=alpha").status_code == 200


def _grow_content() -> None:
    for index in range(12):
        LessonFactory(title_en=f"Alpha extra {index}", body_html_en="<p>alpha " * 50 + "</p>")
        ChecklistItemFactory(title_en=f"Alpha setting {index}")
        Term.objects.create(
            key=f"alpha-{index}", position=10 + index, term_en=f"alpha {index}", term_ar=f"ألفا {index}",
            definition_en="alpha", definition_ar="ألفا",
        )  # fmt: skip


def test_search_reads_a_constant_number_of_queries(django_assert_num_queries):
    with translation.override("ar"), django_assert_num_queries(3):
        small = search_results(query="alpha")
    _grow_content()
    with translation.override("en"), django_assert_num_queries(3):
        large = search_results(query="alpha")
    assert len(large) > len(small) + 30


def test_the_search_page_makes_as_many_queries_for_many_results_as_for_few(client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _search(client, "alpha")
        return len(queries)

    few = count()
    _grow_content()
    assert count() == few


@pytest.mark.parametrize(
    "path", ["/{lang}/", "/{lang}/privacy/", "/{lang}/checklist/", "/{lang}/no-such-page/"]
)
def test_every_page_has_the_header_search_form(client, path):
    for lang in ("en", "ar"):
        body = client.get(path.format(lang=lang)).content.decode()
        form = re.search(r'<form class="site-search" role="search" method="get" action="([^"]+)">', body)
        assert form and form[1] == f"/{lang}/search/"
        assert '<label for="site-search-q" class="visually-hidden">' in body


def test_the_search_page_is_not_in_the_sitemap(client):
    assert "/search/" not in client.get("/sitemap.xml").content.decode()
