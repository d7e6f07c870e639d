from django.db import models

from apps.accounts.models import MergeRule, Reader


class LabFinish(models.Model):
    """That a reader finished a lab (every message answered, for the scam lab): the only trace of a lab
    outside their session, for their progress and their teacher. Their answers are never stored."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="lab_finishes")
    lab = models.CharField(max_length=32)
    finished_at = models.DateTimeField(auto_now_add=True)

    reader_merge = MergeRule.union("lab")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reader", "lab"], name="lab_finished_once_per_reader")]

    def __str__(self) -> str:
        return f"{self.reader} finished {self.lab}"
