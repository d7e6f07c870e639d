from django.db import models

from apps.accounts.models import MergeRule, Reader

SCENARIO = "data-trail"


class SimulatorFinish(models.Model):
    """That a reader finished the simulator: the only trace of it outside their session. What they did
    in it is never stored; a teacher sees only this."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="simulator_finishes")
    # One scenario today; the key lets a second one count on its own later.
    scenario = models.CharField(max_length=32, default=SCENARIO)
    finished_at = models.DateTimeField(auto_now_add=True)

    reader_merge = MergeRule.union("scenario")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reader", "scenario"], name="simulator_finished_once_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.reader} finished {self.scenario}"
