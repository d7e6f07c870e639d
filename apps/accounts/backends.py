from django.contrib.auth.backends import ModelBackend

from apps.core.rows import row_by

from .models import User

# The path Django keeps in each signed-in session; settings.AUTHENTICATION_BACKENDS names it.
ACCOUNT_BACKEND = "apps.accounts.backends.AccountBackend"
# What sessions signed in before 2026-12-03 name; migration 0005 points them at ACCOUNT_BACKEND.
PREVIOUS_BACKEND = "django.contrib.auth.backends.ModelBackend"


class AccountBackend(ModelBackend):
    """Django's ModelBackend (passwords, permissions), reading the signed-in account, which every
    signed-in request does, with one fixed statement (apps.core.rows)."""

    def get_user(self, user_id):
        user = row_by(User, column=User._meta.pk.column, value=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
