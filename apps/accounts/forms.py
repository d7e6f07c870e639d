from django import forms
from django.contrib.auth.forms import PasswordChangeForm, UserCreationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from apps.core.names import display_name_normalize, refuse_bidi_controls

from .models import User
from .validators import validate_new_username, validate_username_characters


class NewUsernameField(UsernameField):
    """A username chosen now: NFKC and trimmed (UsernameField), then refused at once if it holds an
    invisible format character or letters of two scripts, with that reason rather than Django's
    general "letters, numbers and @/./+/-/_" message."""

    def to_python(self, value):
        value = super().to_python(value)
        if value:
            validate_username_characters(value)
        return value


class DisplayNameField(forms.CharField):
    """The name a teacher sees: optional, trimmed, spaces collapsed, no invisible format characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Display name (optional)"))
        kwargs.setdefault(
            "help_text", _("What your teacher sees, for example your first name and an initial.")
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", User._meta.get_field("display_name").max_length)
        super().__init__(validators=[refuse_bidi_controls], **kwargs)
        self.widget.attrs.setdefault("autocomplete", "nickname")

    def to_python(self, value):
        return display_name_normalize(super().to_python(value))


class SignUpForm(UserCreationForm):
    display_name = DisplayNameField()
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_(
            "Only used to send you a link if you forget your password. You can leave it empty: "
            "a teacher can reset the password of a student in their class."
        ),
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
        fields = ("username", "display_name", "email", "role")
        field_classes = {"username": NewUsernameField}

    def clean_username(self):
        username = super().clean_username()
        if username:
            validate_new_username(username)
        return username


class DisplayNameForm(forms.Form):
    display_name = DisplayNameField(label=_("Display name"))


class ChosenPasswordChangeForm(PasswordChangeForm):
    """Django's password change; after a temporary password, the new one must differ from it."""

    def clean(self):
        cleaned_data = super().clean()
        new = cleaned_data.get("new_password1")
        if self.user.must_change_password and new and new == cleaned_data.get("old_password"):
            self.add_error(
                "new_password1",
                forms.ValidationError(
                    _("Choose a new password, not the temporary one."), code="password_unchanged"
                ),
            )
        return cleaned_data


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
