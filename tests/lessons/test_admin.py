import pytest
from django.contrib.auth import get_user_model

from apps.lessons.models import Lesson

pytestmark = pytest.mark.django_db


def test_lesson_saved_in_the_admin_goes_through_the_sanitiser(client):
    admin = get_user_model().objects.create_superuser("root", password="root-pass-2026!")
    client.force_login(admin)
    lesson = Lesson.objects.select_related("module").first()
    url = f"/en/admin/lessons/lesson/{lesson.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "module": lesson.module_id,
        "slug": lesson.slug,
        "position": lesson.position,
        "title_en": lesson.title_en,
        "title_ar": lesson.title_ar,
        "summary_en": lesson.summary_en,
        "summary_ar": lesson.summary_ar,
        "body_md_en": '## Hi\n\n<script>alert(1)</script><a href="javascript:x" onclick="y">x</a>\n\n'
        + "w " * 700,
        "body_md_ar": lesson.body_md_ar,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson.refresh_from_db()
    assert "<h2>Hi</h2>" in lesson.body_html_en
    assert "<script" not in lesson.body_html_en and "javascript:" not in lesson.body_html_en
    assert "onclick" not in lesson.body_html_en
    assert lesson.minutes_en == 4
