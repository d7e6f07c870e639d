from django import forms
from django.utils.translation import gettext_lazy as _

from apps.lessons.models import Module

from .models import Classroom


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name"]
        labels = {"name": _("Class name")}
        help_texts = {"name": _("For example “Year 9 B, digital skills”.")}


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
