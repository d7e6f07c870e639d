from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django.utils.module_loading import import_string

from .models import User


def anonymous_progress_merge(*, request: HttpRequest, user: User) -> None:
    """Move what an anonymous reader did in this session into their account.

    Each app that keeps anonymous progress in the session names its merge function in
    settings.ANONYMOUS_PROGRESS_MERGERS; accounts does not import those apps.
    """
    for dotted_path in settings.ANONYMOUS_PROGRESS_MERGERS:
        import_string(dotted_path)(session=request.session, user=user)


def user_log_in(*, request: HttpRequest, user: User) -> None:
    """Log the user in and keep what they did before, anonymously, in this browser."""
    # login() cycles the session key but keeps its data, so merge after it.
    login(request, user)
    anonymous_progress_merge(request=request, user=user)


@transaction.atomic
def user_sign_up(*, form) -> User:
    """Create the account from a valid SignUpForm."""
    user = form.save(commit=False)
    user.role = form.cleaned_data["role"]
    user.email = form.cleaned_data.get("email") or ""
    user.save()
    return user


def user_data_export(*, user: User) -> dict:
    """Everything we hold about a user, gathered from each app's exporter."""
    data = {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "role": user.role,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
    }
    for dotted_path in settings.USER_DATA_EXPORTERS:
        data.update(import_string(dotted_path)(user=user))
    return data


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account; every row that belongs to it goes with it (on_delete=CASCADE)."""
    user.delete()
