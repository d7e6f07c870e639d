"""apps/quizzes/forms.py: what an answer may look like before the service sees it."""

import pytest

from apps.quizzes.forms import MAX_CHOICES, AnswerForm


def _form(question="q02", choice=("a",)) -> AnswerForm:
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    if question is not None:
        data["question"] = question
    data.setlist("choice", list(choice))
    return AnswerForm(data)


def test_a_plain_answer_is_valid():
    form = _form(choice=["a", "b"])
    assert form.is_valid()
    assert form.cleaned_data == {"question": "q02", "choice": ["a", "b"]}


def test_up_to_the_limit_of_choices_is_valid_and_one_more_is_not():
    assert MAX_CHOICES == 20
    assert _form(choice=[f"c{n}" for n in range(20)]).is_valid()
    form = _form(choice=[f"c{n}" for n in range(21)])
    assert not form.is_valid()
    assert form.first_error() == "That answer is not one of this question's choices."


@pytest.mark.parametrize(
    "question,choice,message",
    [
        ("q02", [], "Choose an answer first."),
        ("q02", ["a b"], "That answer is not one of this question's choices."),
        ("q02", ["b\x00"], "That answer is not one of this question's choices."),
        ("q02", ["é"], "That answer is not one of this question's choices."),
        ("q 02", ["a"], "That question is not part of this attempt."),
        ("q" * 41, ["a"], "Ensure this value has at most 40 characters (it has 41)."),
        (None, ["a"], "This field is required."),
    ],
)
def test_malformed_answers_are_invalid_with_a_message(question, choice, message):
    form = _form(question=question, choice=choice)
    assert not form.is_valid()
    assert form.first_error() == message


def test_a_single_value_instead_of_a_list_is_invalid():
    form = AnswerForm({"question": "q01", "choice": "b"})
    assert not form.is_valid()
    assert form.first_error() == "That answer is not one of this question's choices."
