"""The test suite: real PostgreSQL and Redis/Valkey, fast password hashing."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-not-secret")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES["default"]["KEY_PREFIX"] = "accountability-test"

# Separate logical databases, so a `make run` on the same Valkey never takes the suite's tasks.
_REDIS_BASE = REDIS_URL.rsplit("/", 1)[0]
CACHES["default"]["LOCATION"] = f"{_REDIS_BASE}/4"
CELERY_BROKER_URL = f"{_REDIS_BASE}/2"
CELERY_RESULT_BACKEND = f"{_REDIS_BASE}/3"

# Static files straight from the apps, no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
