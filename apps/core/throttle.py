"""Generous limits on what one client may create (accounts, anonymous readers), counted per address.

Only a keyed hash of the address is stored, and only for the throttle's window. The count and the
insert are not one atomic step, so concurrent requests may pass a limit by a few: these limits bound
abuse, they are not exact quotas.
"""

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .models import RateEvent


class TooManyRequests(Exception):
    """Answered 429 with this message (apps.core.middleware.TooManyRequestsMiddleware)."""


@dataclass(frozen=True)
class Throttle:
    scope: str
    limit: int
    window: datetime.timedelta


def address_key(address: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"addr:{digest[:40]}"


def throttle_allows(throttle: Throttle, *, key: str) -> bool:
    """True, and the event counted, while `key` has had fewer than `limit` events in the window."""
    since = timezone.now() - throttle.window
    RateEvent.objects.filter(scope=throttle.scope, created_at__lt=since).delete()
    if RateEvent.objects.filter(scope=throttle.scope, key=key).count() >= throttle.limit:
        return False
    RateEvent.objects.create(scope=throttle.scope, key=key)
    return True
