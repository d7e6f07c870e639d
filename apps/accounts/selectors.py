from django.db.models import Q

from apps.core.names import username_skeleton, username_skeleton_cased

from .models import User


def username_looks_taken(*, username: str) -> bool:
    """True if an account's username looks like this one (the same skeleton, with case folded before or
    after look-alike characters), so a reader could take one for the other."""
    return User.objects.filter(
        Q(username_skeleton=username_skeleton(username))
        | Q(username_skeleton_cased=username_skeleton_cased(username))
    ).exists()
