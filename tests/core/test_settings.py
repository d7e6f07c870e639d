"""config/settings.py as production and `make run` load it: in a fresh process, from the environment only.

The suite itself runs on tests/settings.py; these tests start `config.settings` in a subprocess with a
clean environment, so what they prove holds for a real deployment. pytest's own variables are left in
that environment on purpose: the production settings must not notice they are under test.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 10 + "a-long-random-production-secret-0123456789-!@#$%^&*()"


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.setdefault("PYTEST_VERSION", pytest.__version__)
    return env


def _production_env(**overrides) -> dict:
    env = _clean_env()
    env.update(DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="datatrail.example.org")
    env.update(overrides)
    return env


def _debug_env() -> dict:
    """What `make run` sets: DJANGO_DEBUG=true and nothing else."""
    return {**_clean_env(), "DJANGO_DEBUG": "true"}


def _manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def _python(code: str, env) -> subprocess.CompletedProcess:
    """Run `code` after django.setup() under config.settings."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )


def _settings(*names: str, env) -> dict:
    code = (
        "import json; from django.conf import settings\n"
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}, default=str))"
    )
    result = _python(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_prints_no_warnings_in_production_configuration():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_stays_clean_when_hsts_preload_and_subdomains_are_switched_on():
    env = _production_env(DJANGO_HSTS_INCLUDE_SUBDOMAINS="true", DJANGO_HSTS_PRELOAD="true")
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    values = _settings("SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", env=env)
    assert values == {"SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True}


def test_check_deploy_still_reports_an_insecure_production_configuration():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env(DJANGO_SECURE_COOKIES="false")
    )
    assert result.returncode != 0
    assert "security.W012" in result.stderr and "security.W016" in result.stderr


def test_production_defaults_are_https_only_and_hsts_without_preload_or_subdomains():
    values = _settings(
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "PASSWORD_HASHERS",
        "TRUSTED_PROXY_COUNT",
        env=_production_env(),
    )
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert "MD5" not in values["PASSWORD_HASHERS"][0]
    assert values["TRUSTED_PROXY_COUNT"] == 0


def test_missing_secret_key_in_production_is_a_clear_error():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("insecure-local-development-key-never-use-in-production-0123456789", "is published with the code"),
        ("test-suite-only-secret-key-never-used-elsewhere-0123456789", "is published with the code"),
        ("django-insecure-" + "x1y2z3" * 10, "is one Django made for development"),
        ("a-random-but-short-key-0123456789", "is shorter than 50 characters"),
        ("abcd" * 20, "has fewer than 5 different characters"),
    ],
)
def test_a_weak_or_published_secret_key_stops_production_with_the_reason(key, reason):
    result = _manage("check", env=_production_env(DJANGO_SECRET_KEY=key))
    assert result.returncode != 0
    assert f"ImproperlyConfigured: DJANGO_SECRET_KEY {reason}." in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr


def test_a_long_varied_key_of_exactly_50_characters_is_accepted():
    key = "abcde" + "0123456789" * 4 + "fghij"
    assert len(key) == 50
    assert _manage("check", env=_production_env(DJANGO_SECRET_KEY=key)).returncode == 0


def test_local_development_may_use_any_key():
    values = _settings("SECRET_KEY", env={**_debug_env(), "DJANGO_SECRET_KEY": "short"})
    assert values["SECRET_KEY"] == "short"


def test_missing_allowed_hosts_in_production_is_a_clear_error():
    env = _production_env()
    del env["DJANGO_ALLOWED_HOSTS"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_negative_trusted_proxy_count_is_a_clear_error():
    result = _manage("check", env=_production_env(DJANGO_TRUSTED_PROXY_COUNT="-1"))
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr


def test_local_development_needs_only_debug():
    values = _settings("SECRET_KEY", "ALLOWED_HOSTS", env=_debug_env())
    assert values["SECRET_KEY"]
    assert values["ALLOWED_HOSTS"] and "*" not in values["ALLOWED_HOSTS"]


def test_allowed_hosts_is_never_a_wildcard():
    assert "*" not in settings.ALLOWED_HOSTS
    assert _settings("ALLOWED_HOSTS", env=_production_env())["ALLOWED_HOSTS"] == ["datatrail.example.org"]


def test_custom_user_model():
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_staticfiles_uses_whitenoise_manifest_in_production():
    storage = _settings("STORAGES", env=_production_env())["STORAGES"]["staticfiles"]["BACKEND"]
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    middleware = settings.MIDDLEWARE
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == 1


LOG_EVERY_KIND = """
import logging
logging.getLogger("django.request").warning("record from django.request")
logging.getLogger("apps.classrooms").warning("record from an app")
logging.getLogger("django.server").info("record from runserver")
"""


@pytest.mark.parametrize("make_env", [_debug_env, _production_env], ids=["make-run", "production"])
def test_each_log_record_is_printed_once(make_env):
    result = _python(LOG_EVERY_KIND, make_env())
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 3, lines
    for source in ["django.request", "an app", "runserver"]:
        assert sum(f"record from {source}" in line for line in lines) == 1, lines


@pytest.mark.django_db
def test_database_is_tuned_for_concurrent_requests():
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert database["OPTIONS"]["timeout"] >= 5
    else:
        assert connection.vendor == "postgresql"
        assert database["CONN_HEALTH_CHECKS"] is True and database["CONN_MAX_AGE"] > 0


def test_database_url_switches_to_postgresql():
    env = _production_env(DATABASE_URL="postgres://u:p@db.internal:5432/datatrail")
    database = _settings("DATABASES", env=env)["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"


def test_pages_kept_in_memory_have_room_for_the_shipped_content_and_class_pages():
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] >= 1000
    assert settings.SESSION_ENGINE == "apps.core.sessions"
