import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.names import refuse_bidi_controls
from apps.lessons.models import Module

from .models import Classroom


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name"]
        labels = {"name": _("Class name")}
        help_texts = {"name": _("For example “Year 9 B, digital skills”.")}

    def clean_name(self):
        name = self.cleaned_data["name"]
        refuse_bidi_controls(name)
        return name


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=20,
        help_text=_("8 letters and digits, from your teacher."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class AssignmentForm(forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.order_by("position"))
    due_date = forms.DateField(
        label=_("Due date (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(
        label=_("Note for students (optional)"),
        required=False,
        max_length=300,
        help_text=_(
            "Shown to the students with the assignment, for example “Read it before Tuesday’s lesson”."
        ),
    )

    def clean_comment(self) -> str:
        comment = " ".join(self.cleaned_data["comment"].split())
        if any(unicodedata.category(char) in ("Cf", "Cc") for char in comment):
            raise forms.ValidationError(_("The note cannot contain invisible control characters."))
        return comment

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].label_from_instance = lambda module: module.title


class ShareForm(forms.Form):
    share = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda value: value == "yes"
    )


class CoTeacherForm(forms.Form):
    username = forms.CharField(
        label=_("Teacher's username"),
        max_length=150,
        help_text=_("They get the same rights on this class as you."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class ClassroomDeleteForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Type the class name to confirm"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class StudentNamesForm(forms.Form):
    names = forms.CharField(
        label=_("Students' names, one per line"),
        help_text=_(
            "For example a first name and an initial: “Sara K.”. Each student gets a username and a "
            "temporary password to print; at the first log-in they choose their own password."
        ),
        max_length=40 * 62,
        widget=forms.Textarea(attrs={"rows": 10, "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_names(self) -> list[str]:
        names = [" ".join(line.split()) for line in self.cleaned_data["names"].splitlines()]
        names = [name for name in names if name]
        if any(len(name) > 60 for name in names):
            raise forms.ValidationError(_("A name can have at most 60 characters."))
        if any(unicodedata.category(char) in ("Cf", "Cc") for name in names for char in name):
            raise forms.ValidationError(_("Names cannot contain invisible control characters."))
        if len(names) > 40:
            raise forms.ValidationError(_("Paste at most 40 names at a time."))
        return names
