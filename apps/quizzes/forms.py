from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

MAX_CHOICES = 20


class ChoiceKeysField(forms.Field):
    """The `choice` values of an answer: a list of choice keys (checkboxes or one radio button)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Choose an answer first."),
        "invalid": _("That answer is not one of this question's choices."),
    }

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return [str(key) for key in value]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > MAX_CHOICES:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        for key in value:
            try:
                validate_slug(key)
            except forms.ValidationError as error:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class AnswerForm(forms.Form):
    question = forms.SlugField(
        max_length=40, error_messages={"invalid": _("That question is not part of this attempt.")}
    )
    choice = ChoiceKeysField()

    def first_error(self) -> str:
        return next(str(message) for errors in self.errors.values() for message in errors)


class StartForm(forms.Form):
    """Start (or resume) a quiz; `start_over` names the open attempt the reader chose to leave."""

    start_over = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
