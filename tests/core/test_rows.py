"""One row by one column with a fixed statement: the same instance the ORM would load."""

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.accounts.models import Reader, User
from apps.core.rows import raw_rows, row_by
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def fields_of(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_a_row_loads_every_field_as_the_orm_does():
    student = StudentFactory(display_name="Sara K.", is_active=False, must_change_password=True)
    User.objects.filter(pk=student.pk).update(last_login=timezone.now() - datetime.timedelta(days=2))
    loaded = row_by(User, column="id", value=student.pk)
    expected = User.objects.get(pk=student.pk)
    assert type(loaded) is User and loaded.pk == student.pk
    assert fields_of(loaded) == fields_of(expected)
    # The types too, not only equal values: SQLite answers 0/1 and text for these.
    assert loaded.is_active is False and loaded.must_change_password is True and loaded.is_staff is False
    assert loaded.last_login.tzinfo is not None and loaded.date_joined.tzinfo is not None
    assert loaded._state.adding is False and loaded._state.db == "default"


def test_a_row_is_found_by_another_unique_column():
    student = StudentFactory()
    reader = Reader.objects.create(user=student)
    Reader.objects.create()
    loaded = row_by(Reader, column="user_id", value=student.pk)
    assert loaded == reader and fields_of(loaded) == fields_of(Reader.objects.get(pk=reader.pk))
    assert loaded.merged_into_id is None


def test_a_null_column_loads_as_none():
    reader = Reader.objects.create()
    assert row_by(Reader, column="id", value=reader.pk).user_id is None


def test_a_row_is_read_in_one_query(django_assert_num_queries):
    student = StudentFactory()
    row_by(User, column="id", value=student.pk)  # prepared once per connection
    with django_assert_num_queries(1):
        assert row_by(User, column="id", value=student.pk) == student


@pytest.mark.parametrize("value", [None, "1", 1.0, True, [1], 2**63, -(2**63) - 1, 2**70])
def test_a_value_that_is_no_64_bit_integer_names_no_row_and_asks_nothing(value, django_assert_num_queries):
    StudentFactory()
    with django_assert_num_queries(0):
        assert row_by(User, column="id", value=value) is None


def test_an_unknown_column_is_a_programming_error():
    with pytest.raises(ValueError, match="no column"):
        row_by(User, column="id; DROP TABLE", value=1)


@settings(max_examples=40, deadline=None)
@given(value=st.integers())
def test_any_integer_finds_the_row_with_that_id_or_none(value):
    found = row_by(Reader, column="id", value=value)
    assert found == Reader.objects.filter(pk=value).first() if -(2**63) <= value < 2**63 else found is None


# raw_rows: a values_list query compiled once, run with each new value.


def readers_of(user_id: int):
    return Reader.objects.filter(user_id=user_id).values_list("pk", "user__username", "progress_version")


def test_raw_rows_are_the_querys_rows_for_each_value_and_the_query_is_built_once():
    built = []

    def build(value):
        built.append(value)
        return readers_of(value)

    key = "test-readers"
    sara, omar = StudentFactory(username="sara"), StudentFactory(username="omar")
    for student in (sara, omar):
        Reader.objects.create(user=student, progress_version=student.pk * 3)
    for student in (sara, omar, sara):
        assert raw_rows(key, build, student.pk) == list(readers_of(student.pk))
    assert raw_rows(key, build, omar.pk + 1000) == []
    assert len(built) == 1


@pytest.mark.parametrize("value", [None, "1", True, 2**63, -(2**63) - 1])
def test_raw_rows_of_a_value_that_is_no_64_bit_integer_are_none(value, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert raw_rows("test-readers-any", readers_of, value) == []


def test_raw_rows_refuse_a_query_with_another_parameter():
    def another_parameter(value):
        return Reader.objects.filter(user_id=value, progress_version__gt=5).values_list("pk")

    def twice(value):
        return Reader.objects.filter(Q(user_id=value) | Q(pk=value)).values_list("pk")

    for key, build in (("test-another", another_parameter), ("test-twice", twice)):
        with pytest.raises(ValueError, match="only parameters"):
            raw_rows(key, build, 1)


def test_raw_rows_put_each_value_where_the_query_uses_it():
    """The compiled query may take its parameters in another order than the values are given."""
    sara = StudentFactory()
    reader = Reader.objects.create(user=sara, progress_version=4)

    def build(progress_version, user_id):
        return Reader.objects.filter(user_id=user_id, progress_version=progress_version).values_list("pk")

    assert raw_rows("test-order", build, 4, sara.pk) == [(reader.pk,)]
    assert raw_rows("test-order", build, sara.pk, 4) == []


def test_raw_rows_refuse_a_query_that_can_match_nothing():
    def nothing(value):
        return Reader.objects.filter(user_id=value, pk__in=[]).values_list("pk")

    with pytest.raises(ValueError, match="can match nothing"):
        raw_rows("test-nothing", nothing, 1)
