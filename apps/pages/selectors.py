from apps.accounts.models import Reader, User
from apps.checklist import selectors as checklist_selectors
from apps.classrooms import selectors as classroom_selectors
from apps.lessons import selectors as lesson_selectors
from apps.quizzes import selectors as quiz_selectors


def personal_data_export(*, user: User, reader: Reader | None) -> dict:
    """Everything we hold about a person: their account (if any) and every row of their reader."""
    data: dict = {}
    if user.is_authenticated:
        data["account"] = {
            "username": user.get_username(),
            "email": user.email,
            "role": user.role,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
        data.update(classroom_selectors.classrooms_export(user=user))
    data.update(lesson_selectors.lesson_reads_export(reader=reader))
    data.update(quiz_selectors.quiz_attempts_export(reader=reader))
    data.update(checklist_selectors.checklist_export(reader=reader))
    return data
