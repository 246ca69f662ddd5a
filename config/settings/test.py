"""The test suite: real PostgreSQL and Redis/Valkey, fast password hashing."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, REST_FRAMEWORK, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-not-secret")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES["default"]["KEY_PREFIX"] = "accountability-test"

# Separate logical databases, so a `make run` on the same Valkey never takes the suite's tasks. Two suites
# running side by side on one server pick different TEST_REDIS_FIRST_DB values (three databases each).
_REDIS_BASE = REDIS_URL.rsplit("/", 1)[0]
_FIRST_DB = env.int("TEST_REDIS_FIRST_DB", default=2)
CELERY_BROKER_URL = f"{_REDIS_BASE}/{_FIRST_DB}"
CELERY_RESULT_BACKEND = f"{_REDIS_BASE}/{_FIRST_DB + 1}"
CACHES["default"]["LOCATION"] = f"{_REDIS_BASE}/{_FIRST_DB + 2}"

# Static files straight from the apps, no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None

# Tests run real HTTP servers on 127.0.0.1: fetching from loopback is allowed only here, and only when asked
# (a worker process started by a test sets these in its environment).
INGESTION_ALLOW_LOOPBACK = env.bool("INGESTION_ALLOW_LOOPBACK", default=False)
INGESTION_ALLOWED_PORTS = env.list("INGESTION_ALLOWED_PORTS", cast=int, default=[80, 443])
CELERY_TASK_TRACK_STARTED = True

# Tests share one cache database and roll back their writes without committing (so without invalidation): public
# caching stays off unless a test turns it on (tests/caching).
PUBLIC_CACHE_ENABLED = env.bool("PUBLIC_CACHE_ENABLED", default=False)
# Tests create claims and names and link at once: workers check for changes before every source.
MATCHER_INDEX_CHECK_SECONDS = env.float("MATCHER_INDEX_CHECK_SECONDS", default=0.0)

# Throttle counters live in the shared cache and every test client comes from 127.0.0.1: the suite as a whole would
# exceed any real rate within a minute. The throttling tests set the low rates they check.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env("API_ANONYMOUS_RATE", default="100000/min"),
        "newsroom": env("API_NEWSROOM_RATE", default="100000/min"),
    },
}
