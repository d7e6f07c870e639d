"""The cast file (apps/lessons/content/cast.toml) and the age check on lesson bodies, on copies of the
fixture lessons in a temporary folder; and the shipped content against the shipped cast."""

import shutil

import pytest

from apps.core.content import ContentError
from apps.lessons.content import CONTENT_DIR, cast_load, lessons_content_sync
from apps.lessons.models import Lesson
from tests.helpers import CONTENT, toml_write

pytestmark = pytest.mark.django_db

LESSON = "01-alpha/01-first-steps"


def _character(**changes) -> dict:
    character = {
        "id": "omar",
        "name": {"en": "Omar", "ar": "عمر"},
        "age": 16,
        "city": {"en": "Jeddah", "ar": "جدة"},
        "life": {"en": "A high-school student.", "ar": "طالب في المرحلة الثانوية."},
    }
    character.update(changes)
    return character


@pytest.fixture
def tree(tmp_path):
    """The fixture lessons with a one-person cast: Omar, 16."""
    shutil.copytree(CONTENT / "lessons", tmp_path, dirs_exist_ok=True)
    toml_write(tmp_path / "cast.toml", {"characters": [_character()]})
    return tmp_path


def _add_to_lesson(tree, language: str, sentence: str) -> None:
    path = tree / LESSON / f"{language}.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("language", "sentence", "age"),
    [
        ("en", "Omar, 17, lives in Jeddah.", 17),
        ("en", "Omar (24) works in Dubai.", 24),
        ("en", "Omar is 24 and works in Dubai.", 24),
        ("en", "Meet 15-year-old Omar.", 15),
        ("ar", "عمر، 17 عامًا، يسكن في جدة.", 17),
        ("ar", "عمر (24 عامًا) يعمل في دبي.", 24),
        ("ar", "عمر في الرابعة والعشرين ويعمل في دبي.", 24),
        ("ar", "نشر عمر، وهو في الخامسة عشرة، فيديو.", 15),
    ],
)
def test_an_age_that_differs_from_the_cast_is_refused(tree, language, sentence, age):
    _add_to_lesson(tree, language, sentence)
    with pytest.raises(ContentError) as error:
        lessons_content_sync(source_dir=tree)
    message = str(error.value)
    assert f"{LESSON}/{language}.md" in message
    assert "(omar)" in message and f" is {age} here but 16 in cast.toml" in message


def test_the_cast_age_in_every_form_and_the_word_for_age_pass(tree):
    _add_to_lesson(tree, "en", "Omar, 16, and Omar (16) and 16-year-old Omar: Omar is 16. Omar is 40% sure.")
    _add_to_lesson(
        tree,
        "ar",
        "عمر، 16 عامًا. عمر (16 عامًا). عمر في السادسة عشرة. عمر، وهو في السادسة عشرة. "
        "يطلب الموقع إذن الوالدين لمن هم في عمر 13 عامًا، وعمر الحساب 20 يومًا. "
        "وصل عمر في الثانية عشرة ظهرًا.",
    )
    lessons_content_sync(source_dir=tree)
    assert "Omar is 16" in Lesson.objects.get(module__slug="alpha", slug="first-steps").body_md_en


def test_content_without_a_cast_file_loads(tree):
    (tree / "cast.toml").unlink()
    _add_to_lesson(tree, "en", "Omar, 40, is a stranger here.")
    lessons_content_sync(source_dir=tree)


def test_a_duplicate_id_is_refused(tree):
    toml_write(tree / "cast.toml", {"characters": [_character(), _character(age=17)]})
    with pytest.raises(ContentError, match=r"cast.toml: character 'omar': the id is used twice"):
        lessons_content_sync(source_dir=tree)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": {"en": "Omar"}}, r"'name.ar' is missing"),
        ({"city": {"ar": "جدة", "en": " "}}, r"'city.en' is missing"),
        ({"life": "A student."}, r"'life' needs an 'en' and an 'ar' text"),
    ],
)
def test_a_missing_language_is_refused(tree, changes, expected):
    toml_write(tree / "cast.toml", {"characters": [_character(**changes)]})
    with pytest.raises(ContentError, match=expected):
        lessons_content_sync(source_dir=tree)


@pytest.mark.parametrize("age", ["16", 16.0, 12, 100, True])
def test_an_age_that_is_not_a_whole_number_from_13_to_99_is_refused(tree, age):
    toml_write(tree / "cast.toml", {"characters": [_character(age=age)]})
    with pytest.raises(ContentError, match=r"character 'omar': 'age' must be a whole number from 13 to 99"):
        lessons_content_sync(source_dir=tree)


@pytest.mark.parametrize(
    "data",
    [{}, {"characters": []}, {"characters": [{"name": {"en": "Omar", "ar": "عمر"}, "age": 16}]}],
)
def test_a_cast_without_characters_or_ids_is_refused(tree, data):
    toml_write(tree / "cast.toml", data)
    expected = r"cast.toml: (needs at least one \[\[characters\]\]|character 1: needs an 'id')"
    with pytest.raises(ContentError, match=expected):
        lessons_content_sync(source_dir=tree)


def test_the_shipped_lessons_agree_with_the_shipped_cast():
    cast = {character.id: character for character in cast_load(source_dir=CONTENT_DIR)}
    assert (cast["omar"].age, cast["faisal"].age, cast["nora"].age) == (16, 20, 20)
    assert cast["faisal"].names == {"en": "Faisal", "ar": "فيصل"}
    lessons_content_sync(source_dir=CONTENT_DIR)
