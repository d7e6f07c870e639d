from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .validators import validate_new_username


class UserAddForm(AdminUserCreationForm):
    """The admin's add form refuses what sign-up refuses (look-alike usernames, mixed scripts, invisible
    characters) instead of letting the unique skeleton column answer with an error page."""

    def clean_username(self):
        username = super().clean_username()
        if username:
            validate_new_username(username)
        return username


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserAddForm
    list_display = ("username", "role", "email", "is_staff", "date_joined")
    list_filter = ("role", "is_staff", "is_superuser", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Data Trail"), {"fields": ("role",)}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("Data Trail"), {"fields": ("role",)}))
