"""apps/core/spreadsheet.py: cells a spreadsheet would run are neutralised; downloads open safely."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.spreadsheet import FORMULA_STARTS, cell_neutralise, csv_response

FORMULA_CHARACTERS = ["=", "+", "-", "@", "\t", "\r"]


def test_the_formula_characters_are_owasps():
    assert sorted(FORMULA_STARTS) == sorted(FORMULA_CHARACTERS)


@pytest.mark.parametrize("start", FORMULA_CHARACTERS)
def test_a_cell_starting_with_a_formula_character_gets_an_apostrophe(start):
    value = f'{start}HYPERLINK("https://evil.example","x")'
    assert cell_neutralise(value) == "'" + value
    assert cell_neutralise(start) == "'" + start


@pytest.mark.parametrize(
    "value",
    ["sara", "ليلى", "2/3", "In progress", "a=b", "x-1", "user@example.org", " =1+1", "'quoted", "75"],
)
def test_ordinary_text_is_unchanged(value):
    assert cell_neutralise(value) == value


@pytest.mark.parametrize("value", [0, 75, -5, -(2**70), 2.5, -0.5, None, True])
def test_numbers_and_other_values_stay_as_they_are(value):
    result = cell_neutralise(value)
    assert result == value and type(result) is type(value)


def test_an_empty_cell_stays_empty():
    assert cell_neutralise("") == ""


@given(st.sampled_from(FORMULA_CHARACTERS), st.text())
def test_any_text_starting_with_a_formula_character_starts_with_an_apostrophe(start, rest):
    value = start + rest
    assert cell_neutralise(value) == "'" + value


@given(st.text().filter(lambda text: not text.startswith(tuple(FORMULA_CHARACTERS))))
def test_any_other_text_is_unchanged(value):
    assert cell_neutralise(value) == value


@given(st.integers())
def test_any_integer_stays_an_integer(value):
    assert cell_neutralise(value) == value


def read(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


def test_a_csv_download_is_utf8_with_a_bom_and_never_stored():
    response = csv_response(filename="class-7-progress.csv", header=["Student", "Score"], rows=[["سارة", 75]])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="class-7-progress.csv"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith("\ufeff".encode())
    assert response.content.count("\ufeff".encode()) == 1
    assert read(response) == [["Student", "Score"], ["سارة", "75"]]


def test_every_cell_of_a_download_is_neutralised_header_included():
    rows = (row for row in [["=cmd|' /C calc'!A0", -3, ""], ["@SUM(A1:A2)", "plain", "\tx"]])
    response = csv_response(filename="x.csv", header=["+header", "ok"], rows=rows)
    assert read(response) == [
        ["'+header", "ok"],
        ["'=cmd|' /C calc'!A0", "-3", ""],
        ["'@SUM(A1:A2)", "plain", "'\tx"],
    ]


def test_cells_with_commas_quotes_and_line_breaks_survive_a_round_trip():
    cells = ['a, "b"', "line\nbreak", "\r\n", ""]
    assert read(csv_response(filename="x.csv", header=["h"], rows=[cells]))[1] == [
        cells[0],
        cells[1],
        "'\r\n",
        "",
    ]


def test_a_download_without_rows_has_its_header():
    assert read(csv_response(filename="x.csv", header=["Student"], rows=[])) == [["Student"]]
