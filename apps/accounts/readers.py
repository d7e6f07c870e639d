"""Who is reading: the one place that maps a request (or an account) to its Reader.

Views call `reader_of_request` or `reader_for_write` once; everything below them (services,
selectors) takes the reader itself, never the request.
"""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.http import client_address
from apps.core.rows import row_by
from apps.core.throttle import Throttle, TooManyRequests, address_key, throttle_allows

from .models import Reader, User

SESSION_KEY = "reader_id"
# Anonymous readers one address may start per hour: a browser keeps its own across visits, so a whole
# school's anonymous learners fit many times over; a client that drops its cookie on every write
# does not get an unbounded number of attempts and rows.
NEW_READERS = Throttle("new-reader", limit=300, window=datetime.timedelta(hours=1))
ACTIVITY_STEP = datetime.timedelta(hours=1)
_CACHE = "_datatrail_reader"


def reader_for_user(*, user: User) -> Reader:
    """The account's reader, created on first use; concurrent first uses still give one row."""
    reader, _created = Reader.objects.get_or_create(user=user)
    return reader


def reader_of_request(request: HttpRequest) -> Reader | None:
    """This request's reader, or None if it has never written anything. Never creates a row."""
    if hasattr(request, _CACHE):
        return getattr(request, _CACHE)
    if request.user.is_authenticated:
        reader = row_by(Reader, column="user_id", value=request.user.pk)
    else:
        reader = row_by(Reader, column="id", value=request.session.get(SESSION_KEY))
        reader = _followed(reader if reader is not None and reader.user_id is None else None)
    setattr(request, _CACHE, reader)
    return reader


def reader_for_write(request: HttpRequest) -> Reader:
    """This request's reader, locked for the current transaction, created on its first write (an
    anonymous one's id goes into the session). Call it inside `transaction.atomic()`, with the write:
    the lock makes a log-in merge of the same reader wait for the write, or the write for the merge."""
    reader = reader_of_request(request)
    if reader is not None:
        reader = _followed(Reader.objects.select_for_update().filter(pk=reader.pk).first())
    if reader is None:
        if request.user.is_authenticated:
            # Locked like any other: a first write that held no lock could insert a row, then wait at
            # commit for the reader (PostgreSQL checks the foreign key then) held by a concurrent write
            # waiting for that row: a deadlock, seen in the race tests.
            reader = Reader.objects.select_for_update().get(pk=reader_for_user(user=request.user).pk)
        else:
            if not throttle_allows(NEW_READERS, key=address_key(client_address(request))):
                raise TooManyRequests(
                    _("Too many new visitors from your network this hour. Log in, or try again later.")
                )
            reader = Reader.objects.create()
            request.session[SESSION_KEY] = reader.pk
    elif _touch(reader) and reader.user_id is None:
        # Saving the session moves its expiry with the reader's activity, so the session never
        # outlives the reader's prune date (see readers_prune).
        request.session.modified = True
    setattr(request, _CACHE, reader)
    return reader


def _followed(reader: Reader | None) -> Reader | None:
    """A reader merged into an account at log-in stands for that account's reader: only a request
    that was already under way at the log-in can still name it (the log-in replaced the session)."""
    if reader is not None and reader.merged_into_id is not None:
        return Reader.objects.get(pk=reader.merged_into_id)
    return reader


def reader_session_forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    if hasattr(request, _CACHE):
        delattr(request, _CACHE)


def _touch(reader: Reader) -> bool:
    """Move `last_active_at` forward, at most once per ACTIVITY_STEP; True when it moved."""
    now = timezone.now()
    if reader.last_active_at > now - ACTIVITY_STEP:
        return False
    Reader.objects.filter(pk=reader.pk).update(last_active_at=now)
    reader.last_active_at = now
    return True
