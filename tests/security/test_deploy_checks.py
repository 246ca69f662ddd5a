"""Production settings pass Django's deployment checks and set the headers and cookies a public site needs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k3Xq9-production-check-Vb7mZp2Lr8sTw4Yc6Nd1Hf5Jg0Ke3Ua9Wo2Qi7Rx4Ty8Pz",
    "DJANGO_ALLOWED_HOSTS": "accountability.example.org",
    "DATABASE_URL": "postgres://accountability@db.invalid:5432/accountability",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "ACCOUNTABILITY_START_EMBEDDED": "0",
}


def _run_with_production_settings(*arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))}
    environment.update(PRODUCTION_ENVIRONMENT)
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks_at_warning_level():
    result = _run_with_production_settings("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    environment_without_secret = "import os; os.environ.pop('DJANGO_SECRET_KEY'); "
    script = environment_without_secret + "import django; django.setup()"
    result = _run_with_production_settings("-c", script)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRODUCTION_VALUES = """
import json
from django.conf import settings as s
print(json.dumps({
    "hsts": s.SECURE_HSTS_SECONDS, "hsts_subdomains": s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "ssl": s.SECURE_SSL_REDIRECT,
    "nosniff": s.SECURE_CONTENT_TYPE_NOSNIFF, "frames": s.X_FRAME_OPTIONS, "referrer": s.SECURE_REFERRER_POLICY,
    "coop": s.SECURE_CROSS_ORIGIN_OPENER_POLICY, "session_secure": s.SESSION_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY, "session_samesite": s.SESSION_COOKIE_SAMESITE,
    "csrf_secure": s.CSRF_COOKIE_SECURE, "csrf_samesite": s.CSRF_COOKIE_SAMESITE,
    "first_hasher": s.PASSWORD_HASHERS[0], "debug": s.DEBUG,
    "log_formatter": s.LOGGING["formatters"]["json"]["()"],
    "database_options": s.DATABASES["default"]["OPTIONS"]["options"],
    "persistent_connections": [s.DATABASES["default"]["CONN_MAX_AGE"], s.DATABASES["default"]["CONN_HEALTH_CHECKS"]],
    "cache": s.CACHES["default"]["BACKEND"],
}))
"""


def test_production_settings_harden_transport_frames_cookies_and_passwords_and_keep_the_database_options():
    result = _run_with_production_settings("-c", "import django; django.setup()\n" + PRODUCTION_VALUES)
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "hsts": 31536000,
        "hsts_subdomains": True,
        "ssl": True,
        "nosniff": True,
        "frames": "DENY",
        "referrer": "strict-origin-when-cross-origin",
        "coop": "same-origin",
        "session_secure": True,
        "session_httponly": True,
        "session_samesite": "Lax",
        "csrf_secure": True,
        "csrf_samesite": "Lax",
        "first_hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "debug": False,
        "log_formatter": "pythonjsonlogger.json.JsonFormatter",
        # The searches' trigram threshold, as in every other environment.
        "database_options": "-c pg_trgm.strict_word_similarity_threshold=0.4",
        "persistent_connections": [60, True],
        "cache": "config.redis_cache.SharedClientRedisCache",
    }


@pytest.fixture
def production_security(settings):  # type: ignore[no-untyped-def]
    """The production header settings, applied to the test client's requests (served over HTTPS)."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_CONTENT_TYPE_NOSNIFF = True
    settings.SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
    settings.SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
    settings.X_FRAME_OPTIONS = "DENY"
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/v1/claims/", "/admin/login/"])
def test_every_kind_of_page_is_served_with_the_security_headers(client, production_security, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_admin_login_cookies_are_secure_http_only_and_same_site(client, production_security, editor):
    page = client.get("/admin/login/", secure=True)
    csrf_cookie = page.cookies["csrftoken"]
    assert csrf_cookie["secure"]
    assert csrf_cookie["samesite"] == "Lax"
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": editor.username,
            "password": "correct horse battery staple",
            "csrfmiddlewaretoken": csrf_cookie.value,
        },
        secure=True,
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
