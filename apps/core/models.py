from django.db import models


class RateEvent(models.Model):
    """One counted event (an account created, an anonymous reader started) for a throttle: `scope`
    names the throttle, `key` whom it counts (a keyed hash of an address, never the address). Rows
    older than their throttle's window are deleted at the next check of that throttle."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class ContentVersion(models.Model):
    """One row, counting changes to the lessons, quizzes and checklist (a load or an admin edit). Pages
    cached from content carry the number in their key, so a change retires them on every instance."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"content version {self.number}"
