import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.checklist.models import ChecklistGroup
from apps.core.i18n import current_language
from apps.core.names import refuse_bidi_controls
from apps.labs.content import LAB_TITLES
from apps.lessons.models import Lesson, Module

from .models import Assignment, Classroom


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
    """What to assign (a module, one lesson, the checklist or one platform of it), a due date and a note.

    `work` is one list of choices, grouped, so it works as a plain <select> without JavaScript; its
    cleaned value is the keyword arguments of `services.assignment_set` that say what is assigned."""

    work = forms.ChoiceField(label=_("What to assign"))
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = current_language()
        self.modules = {m.pk: m for m in Module.objects.only("slug", "position", f"title_{language}")}
        self.lessons = {
            lesson.pk: lesson
            for lesson in Lesson.objects.only("module_id", "position", f"title_{language}").order_by(
                "module__position", "position"
            )
        }
        self.groups = {g.pk: g for g in ChecklistGroup.objects.only("slug", "position", f"title_{language}")}
        choices: list = [
            (_("Modules"), [(f"module-{m.pk}", m.title) for m in self.modules.values()]),
        ]
        for module in self.modules.values():
            lessons = [lesson for lesson in self.lessons.values() if lesson.module_id == module.pk]
            group_label = _("Lessons of “%(module)s”") % {"module": module.title}
            choices.append((group_label, [(f"lesson-{lesson.pk}", lesson.title) for lesson in lessons]))
        checklist = [("checklist", _("The whole checklist"))]
        checklist += [(f"checklist-{g.pk}", _("Checklist: %(platform)s") % {"platform": g.title})
                      for g in self.groups.values()]  # fmt: skip
        choices.append((_("Checklist"), checklist))
        practice = [("simulator", _("The data-trail simulator"))]
        practice += [
            (f"lab-{lab}", _("Lab: %(title)s") % {"title": title}) for lab, title in LAB_TITLES.items()
        ]
        choices.append((_("Practice"), practice))
        self.fields["work"].choices = choices

    def clean_work(self) -> dict:
        kind, _dash, number = self.cleaned_data["work"].partition("-")
        if kind == "simulator":
            return {"kind": Assignment.Kind.SIMULATOR}
        if kind == "lab":
            return {"kind": Assignment.Kind.LAB, "lab": number}
        pk = int(number) if number else None
        if kind == "module":
            return {"kind": Assignment.Kind.MODULE, "module": self.modules[pk]}
        if kind == "lesson":
            lesson = self.lessons[pk]
            return {
                "kind": Assignment.Kind.LESSON,
                "module": self.modules[lesson.module_id],
                "lesson": lesson,
            }
        return {"kind": Assignment.Kind.CHECKLIST, "checklist_group": self.groups.get(pk)}

    def clean_comment(self) -> str:
        comment = " ".join(self.cleaned_data["comment"].split())
        if any(unicodedata.category(char) in ("Cf", "Cc") for char in comment):
            raise forms.ValidationError(_("The note cannot contain invisible control characters."))
        return comment


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
