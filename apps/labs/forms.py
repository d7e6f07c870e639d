from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import current_language
from apps.core.names import has_format_characters

from .content import RequestLab


def _no_format_characters(value: str) -> None:
    if has_format_characters(value):
        raise ValidationError(
            _("Remove the invisible formatting characters (such as direction marks) from this field."),
            code="format_characters",
        )


class LetterForm(forms.Form):
    """The letter writer's choices. Nothing typed here is stored beyond the reader's session."""

    law = forms.ChoiceField(label=_("Which law covers you?"), widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("What do you want to ask for?"), widget=forms.RadioSelect)
    company = forms.CharField(
        label=_("Company"),
        max_length=100,
        help_text=_("The company’s name as it appears in its privacy policy, for example “Northwind Games”."),
        validators=[_no_format_characters],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    account = forms.CharField(
        label=_("Your account (optional)"),
        required=False,
        max_length=200,
        help_text=_(
            "The email address, phone number or username the company knows you by. Never your password."
        ),
        validators=[_no_format_characters],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    details = forms.CharField(
        label=_("Details (optional; needed for a correction)"),
        required=False,
        max_length=1000,
        help_text=_("For a correction: what is wrong and what it should say."),
        validators=[_no_format_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        help_text=_("Leave it empty to write it in yourself after copying."),
        validators=[_no_format_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the letter"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )

    def __init__(self, *args, lab: RequestLab, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("language", current_language())
        super().__init__(*args, **kwargs)
        self.fields["law"].choices = [(law.key, law.title) for law in lab.laws]
        self.fields["kind"].choices = [(kind.key, kind.title) for kind in lab.kinds]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "correct" and not cleaned.get("details", "").strip():
            self.add_error(
                "details", _("Say what is wrong and what it should say, so the company can correct it.")
            )
        return cleaned
