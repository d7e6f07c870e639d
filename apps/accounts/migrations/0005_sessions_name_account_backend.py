"""Sessions signed in through Django's ModelBackend name AccountBackend instead, so nobody is signed
out by the change (Django signs out a session whose backend is no longer in AUTHENTICATION_BACKENDS)."""

from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

BACKEND_KEY = "_auth_user_backend"
PREVIOUS = "django.contrib.auth.backends.ModelBackend"
CURRENT = "apps.accounts.backends.AccountBackend"


def rename_backend(apps, schema_editor, old=PREVIOUS, new=CURRENT):
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    live = Session.objects.using(schema_editor.connection.alias).filter(expire_date__gt=timezone.now())
    for session in live.iterator(chunk_size=1000):
        data = store.decode(session.session_data)
        if data.get(BACKEND_KEY) == old:
            data[BACKEND_KEY] = new
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def restore_backend(apps, schema_editor):
    rename_backend(apps, schema_editor, old=CURRENT, new=PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_progress_version"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename_backend, restore_backend)]
