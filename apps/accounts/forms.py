from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only used to reset a forgotten password. You can leave it empty."),
    )
    role = forms.ChoiceField(
        label=_("I am"),
        choices=[
            (User.Role.STUDENT, _("a student")),
            (User.Role.TEACHER, _("a teacher")),
        ],
        initial=User.Role.STUDENT,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = User
        fields = ("username", "email", "role")


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."), code="password_incorrect")
        return password
