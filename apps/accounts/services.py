import datetime

from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.throttle import Throttle, TooManyRequests, address_key, throttle_allows

from .backends import ACCOUNT_BACKEND
from .login_throttle import login_lock_clear
from .models import MergeRule, Reader, User
from .readers import reader_for_user, reader_of_request, reader_session_forget
from .validators import looks_taken_error

TOMBSTONE_GRACE = datetime.timedelta(days=1)
# Accounts one address may create per hour: a class of 40 signing up from one school address in ten
# minutes passes with room to spare; a script making throwaway accounts does not.
SIGN_UPS = Throttle("sign-up", limit=100, window=datetime.timedelta(hours=1))
# Password-reset emails: a reader who mistyped or lost the first mail asks again; nobody may fill
# someone's inbox through our form. Per email address the mails simply stop (the page does not say so,
# which would tell whether the address has an account); per network the form answers 429.
RESET_MAILS_PER_EMAIL = Throttle("reset-email", limit=3, window=datetime.timedelta(hours=1))
RESET_REQUESTS_PER_ADDRESS = Throttle("reset-address", limit=30, window=datetime.timedelta(hours=1))


def reader_merge(*, source: Reader, target: Reader) -> None:
    """Merge an anonymous reader's rows into `target`: the one place this happens.

    Every model that points to Reader declares its MergeRule; each table takes at most three
    statements whatever the number of rows, and nothing that exists on either side is lost.
    `source` stays as a tombstone pointing to `target`, so a write already on its way (another
    tab, a resent request) still finds a reader and lands on the account; prune_readers merges
    anything that arrived late and deletes the tombstone.
    """
    if source.pk == target.pk:
        return
    with transaction.atomic():
        # Writes lock their reader too (readers.reader_for_write): they wait for the merge, or it for them.
        list(Reader.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk"))
        for relation in Reader._meta.related_objects:
            if relation.one_to_one or relation.related_model is Reader:
                continue
            model, field = relation.related_model, relation.field.name
            rule = getattr(model, "reader_merge", None)
            if not isinstance(rule, MergeRule):
                raise TypeError(f"{model.__name__} points to Reader but declares no reader_merge rule")
            _merge_table(model=model, field=field, rule=rule, source=source, target=target)
        Reader.objects.filter(pk=source.pk, merged_into__isnull=True).update(
            merged_into=target, last_active_at=timezone.now()
        )
        target.progress_changed()


def _merge_table(*, model, field: str, rule: MergeRule, source: Reader, target: Reader) -> None:
    rows = model._default_manager.filter(**{field: source})
    if rule.kind == "move":
        rows.update(**{field: target})
        return
    target_rows = model._default_manager.filter(**{field: target})
    if rule.kind == "later_wins":
        newer_in_source = rows.filter(
            **{rule.key: OuterRef(rule.key), f"{rule.time}__gt": OuterRef(rule.time)}
        )
        target_rows.filter(Exists(newer_in_source)).delete()
    rows.exclude(**{f"{rule.key}__in": target_rows.values(rule.key)}).update(**{field: target})
    rows.delete()  # what is left duplicates a row the account keeps


def user_log_in(*, request: HttpRequest, user: User) -> None:
    """Log the user in and keep what they did before, anonymously, in this browser."""
    anonymous = reader_of_request(request)
    # login() cycles the session key but keeps its data.
    login(request, user, backend=ACCOUNT_BACKEND)
    reader_session_forget(request)
    if anonymous is not None:
        reader_merge(source=anonymous, target=reader_for_user(user=user))


def password_reset_may_send(*, email: str, address: str) -> bool:
    """Whether a password-reset mail may go to `email`, asked for from `address`; counts the request.

    Raises TooManyRequests past RESET_REQUESTS_PER_ADDRESS requests from one network in an hour. False
    past RESET_MAILS_PER_EMAIL mails to one email address in an hour, whether or not it has an account.
    Only keyed hashes of the email and the address are stored, for the throttle's hour."""
    if not throttle_allows(RESET_REQUESTS_PER_ADDRESS, key=address_key(address)):
        raise TooManyRequests(
            _("Too many password resets were asked for from your network this hour. Try again later.")
        )
    return throttle_allows(RESET_MAILS_PER_EMAIL, key=address_key(f"email:{email.strip().casefold()}"))


def user_sign_up(*, form, address: str) -> User:
    """Create the account from a valid SignUpForm, sent from `address`.

    Raises ValidationError (for the username field) when another sign-up took the same or a
    look-alike username between the form's check and this insert: the unique columns decide.
    Raises TooManyRequests past SIGN_UPS accounts from one address in an hour.
    """
    if not throttle_allows(SIGN_UPS, key=address_key(address)):
        raise TooManyRequests(
            _(
                "Too many accounts were created from your network this hour. Try again later, or ask "
                "your teacher to create your account."
            )
        )
    user = form.save(commit=False)
    user.role = form.cleaned_data["role"]
    user.email = form.cleaned_data.get("email") or ""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise looks_taken_error() from error
    return user


def user_display_name_set(*, user: User, display_name: str) -> None:
    """Set the name teachers see (already normalised by the form; empty shows the username)."""
    user.display_name = display_name
    user.save(update_fields=["display_name"])


def user_password_changed(*, user: User) -> None:
    """The person chose their own password (changed it, or reset it by email): a temporary one a
    teacher gave no longer needs changing."""
    User.objects.filter(pk=user.pk, must_change_password=True).update(must_change_password=False)
    user.must_change_password = False
    login_lock_clear(username=user.username)


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account; its reader and every row that belongs to either go with it (CASCADE)."""
    user.delete()


def reader_forget(*, reader: Reader) -> None:
    """Delete an anonymous reader and everything it did ("forget this browser"); accounts are deleted
    with `user_delete`, which asks for the password."""
    if reader.user_id is not None:
        raise ValueError("an account's reader is deleted with the account")
    reader.delete()


def readers_prune(*, idle_for: datetime.timedelta) -> int:
    """Delete anonymous readers (and all their rows) idle for longer than `idle_for`, and the
    tombstones of merged readers once a write in flight has had a day to land; return how many.

    No browser can reach an idle reader any more once its session has expired.
    """
    now = timezone.now()
    for tombstone in Reader.objects.filter(
        merged_into__isnull=False, last_active_at__lt=now - TOMBSTONE_GRACE
    ):
        reader_merge(source=tombstone, target=tombstone.merged_into)  # anything that arrived late
    stale = Reader.objects.filter(user__isnull=True).filter(
        Q(merged_into__isnull=False, last_active_at__lt=now - TOMBSTONE_GRACE)
        | Q(merged_into__isnull=True, last_active_at__lt=now - idle_for)
    )
    _rows, per_model = stale.delete()
    return per_model.get(Reader._meta.label, 0)
