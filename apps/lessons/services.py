from apps.accounts.models import Reader

from .models import Lesson, LessonRead


def lesson_mark_read(*, reader: Reader, lesson: Lesson) -> LessonRead:
    """Record that `reader` read `lesson`. Safe to repeat and to race: one row at most
    (get_or_create reads the row again when a concurrent request won the insert)."""
    read, created = LessonRead.objects.get_or_create(reader=reader, lesson=lesson)
    if created:
        reader.progress_changed()
    return read
