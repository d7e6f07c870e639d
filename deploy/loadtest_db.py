"""The database side of deploy/loadtest.py, run with the site's environment (DATABASE_URL and the rest).

python deploy/loadtest_db.py prepare STUDENTS   demo data, STUDENTS new student accounts, and what
                                                the simulated clients need (JSON on stdout)
python deploy/loadtest_db.py check ACKS.json    every acknowledged write is stored, and the stored
                                                rows are consistent (JSON on stdout)
"""

import json
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import translation  # noqa: E402

from apps.accounts.models import Reader, User  # noqa: E402
from apps.checklist.models import ChecklistItem, ChecklistTick  # noqa: E402
from apps.classrooms.models import Classroom, Membership  # noqa: E402
from apps.lessons.models import Lesson, LessonRead  # noqa: E402
from apps.pages.demo import DEMO_CLASS, DEMO_PASSWORD, demo_data_seed  # noqa: E402
from apps.quizzes.models import Answer, Attempt, Quiz  # noqa: E402
from apps.quizzes.services import answer_is_correct  # noqa: E402

STUDENT_PREFIX = "loadtest"


def prepare(student_count: int) -> dict:
    demo_data_seed()
    # One hash for every account: hashing is slow on purpose, and these are throwaway test accounts.
    password = make_password(DEMO_PASSWORD)
    usernames = [f"{STUDENT_PREFIX}{number}" for number in range(1, student_count + 1)]
    User.objects.bulk_create(
        [User(username=name, role=User.Role.STUDENT, password=password) for name in usernames],
        ignore_conflicts=True,
    )
    classroom = Classroom.objects.get(teacher__username="teacher", name=DEMO_CLASS)
    with translation.override("en"):
        lessons = [lesson.get_absolute_url() for lesson in Lesson.objects.select_related("module")]
    return {
        "password": DEMO_PASSWORD,
        "teacher": "teacher",
        "students": usernames,
        "class_id": classroom.pk,
        "join_code": classroom.join_code,
        "lessons": lessons,
        "quizzes": list(Quiz.objects.values_list("module__slug", flat=True)),
        "checklist": list(ChecklistItem.objects.values_list("group__slug", "key")),
    }


def check(acks: dict) -> list[dict]:
    """One entry per check: its name, whether it passed, how many rows it covered, a few it found wrong."""
    results = []

    def result(name: str, wrong: list, covered: int) -> None:
        results.append(
            {
                "name": name,
                "passed": not wrong,
                "covered": covered,
                "wrong": len(wrong),
                "examples": wrong[:3],
            }
        )

    reads = set(
        LessonRead.objects.values_list("reader__user__username", "lesson__module__slug", "lesson__slug")
    )
    lost = [read for read in acks["reads"] if tuple(read) not in reads]
    result("every acknowledged lesson read is stored", lost, len(acks["reads"]))

    selected = {}
    rows = Answer.objects.values_list(
        "attempt", "attempt__reader__user__username", "question__key", "selected__key"
    )
    for attempt_id, username, question_key, choice_key in rows:
        selected.setdefault((username, attempt_id, question_key), []).append(choice_key)
    lost = [answer for answer in acks["answers"] if selected.get(tuple(answer[:3])) != [answer[3]]]
    result("every acknowledged quiz answer is stored with the choice sent", lost, len(acks["answers"]))

    ticks = set(ChecklistTick.objects.values_list("reader__user__username", "item__group__slug", "item__key"))
    lost = [tick for tick in acks["ticks"] if (tuple(tick[:3]) in ticks) != tick[3]]
    result("every checklist item is in the state last acknowledged", lost, len(acks["ticks"]))

    members = set(Membership.objects.values_list("student__username", "classroom"))
    lost = [join for join in acks["joins"] if tuple(join) not in members]
    result("every acknowledged join is a membership", lost, len(acks["joins"]))

    twice = Answer.objects.values("attempt", "question").annotate(n=Count("pk")).filter(n__gt=1)
    result("no attempt has two answers to a question", list(twice), Answer.objects.count())

    wrong_scores = []
    attempts = list(Attempt.objects.prefetch_related("answers__selected", "answers__question__choices"))
    for attempt in attempts:
        answers = list(attempt.answers.all())
        for answer in answers:
            chosen = {choice.pk for choice in answer.selected.all()}
            if answer.is_correct != answer_is_correct(question=answer.question, chosen=chosen):
                wrong_scores.append(f"answer {answer.pk}: is_correct does not match its choices")
        right = sum(answer.is_correct for answer in answers)
        if attempt.is_finished and (attempt.correct_count, attempt.question_count) != (right, len(answers)):
            wrong_scores.append(
                f"attempt {attempt.pk}: {attempt.correct_count} right stored, {right} answered"
            )
        if not attempt.is_finished and len(answers) >= attempt.question_count:
            wrong_scores.append(f"attempt {attempt.pk}: every question answered, not finished")
    result("scores equal the stored answers", wrong_scores, len(attempts))

    # The clients never start over, so a second open attempt would be a resent start counted twice.
    open_twice = (
        Attempt.objects.filter(finished_at__isnull=True)
        .values("reader", "quiz")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    result("no reader has two open attempts on a quiz", list(open_twice), len(attempts))

    unique_rows = {
        "membership": Membership.objects.values_list("classroom", "student"),
        "checklist tick": ChecklistTick.objects.values_list("reader", "item"),
        "read mark": LessonRead.objects.values_list("reader", "lesson"),
        "account's reader": Reader.objects.filter(user__isnull=False).values_list("user"),
    }
    duplicates = [
        f"{name} {key}" for name, rows in unique_rows.items() for key, n in Counter(rows).items() if n > 1
    ]
    result("no duplicate membership, tick, read mark or reader", duplicates, len(members))
    return results


def main() -> None:
    command, argument = sys.argv[1:3]
    if command == "prepare":
        print(json.dumps(prepare(int(argument))))
    elif command == "check":
        print(json.dumps(check(json.loads(Path(argument).read_text()))))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
