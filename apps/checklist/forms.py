import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChecklistGroup

GROUP_ID = re.compile(r"[0-9]{1,18}")


class PlatformChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # A number too large for the id column is a database error, not "no such row": refuse
        # anything that cannot be one of our ids before it reaches the query.
        for pk in value:
            if not isinstance(pk, str) or not GROUP_ID.fullmatch(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class PlatformsForm(forms.Form):
    platforms = PlatformChoiceField(
        label=_("Which platforms do you use?"),
        queryset=ChecklistGroup.objects.exclude(slug="everywhere").order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("We show these first. You can change this at any time."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platforms"].label_from_instance = lambda group: group.title


class PathReportForm(forms.Form):
    note = forms.CharField(
        label=_("What do you see instead? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the menu names you see now. Do not include personal details."),
    )
