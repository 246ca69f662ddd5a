"""Settings shared by every environment, read from the environment through one django-environ ``env``."""

from datetime import timedelta
from pathlib import Path

import environ
import pghistory
from csp.constants import NONCE, NONE, SELF

from config import runtime
from config.structured_logging import json_logging

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")  # each environment sets it; production has no default
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "accountability",
    "claims",
    "config.apps.ObservabilityConfig",
]

MIDDLEWARE = [
    "config.request_id.RequestIdMiddleware",
    "config.health.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "config.request_guards.RequestGuardMiddleware",
    "config.database_outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous GETs of public pages from the cache (accountability.caching); after WhiteNoise, before sessions.
    "accountability.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # GETs of public pages and the API read with prepared statements (inside the session middleware's save).
    "accountability.prepared_statements.PreparedReadsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# History rows copy a record's foreign keys without indexing them: a record's history is found through the
# indexed link to the record itself (and its context), and every write would otherwise update an index per key.
PGHISTORY_FOREIGN_KEY_FIELD = pghistory.ForeignKey(db_index=False)
PGHISTORY_CONTEXT_FIELD = pghistory.ContextForeignKey(db_index=True)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def database_settings(url: str) -> dict:
    """The database at ``url`` with the connection settings every environment needs: persistent connections checked
    before reuse, and the trigram threshold the searches' name operator uses: strict word similarity of at least 0.4
    (the `%>>` operator of the name variants' index, for people's names)."""
    database = env.db_url_config(url)
    database["ATOMIC_REQUESTS"] = False
    database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    options = database.setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c pg_trgm.strict_word_similarity_threshold=0.4").strip()
    return database


# Databases: DATABASE_URL when set, otherwise the embedded PostgreSQL under var/.
DATABASES = {"default": database_settings(env("DATABASE_URL", default=runtime.embedded_postgres().url()))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: REDIS_URL when set, otherwise the embedded Valkey under var/.
REDIS_URL = env("REDIS_URL", default=runtime.embedded_valkey().url())
CACHES = {
    "default": {
        "BACKEND": "config.redis_cache.SharedClientRedisCache",
        "LOCATION": env("CACHE_URL", default=REDIS_URL.rsplit("/", 1)[0] + "/1"),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="accountability"),
        "TIMEOUT": 300,
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed attempts for one username from one address,
# that pair is locked out for AXES_COOLOFF_TIME. Failures are kept in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("nl", "Nederlands")]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["claims.api.authentication.NewsroomKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["claims.api.throttling.NewsroomRateThrottle"],
    # Anonymous readers share a low rate per address; each newsroom key has its own, higher rate.
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env("API_ANONYMOUS_RATE", default="60/min"),
        "newsroom": env("API_NEWSROOM_RATE", default="1200/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "accountability.api.pagination.StableCursorPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "config.api_errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Webhook deliveries that fail are tried again after this many seconds, then 4x longer each time.
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=30)
SPECTACULAR_SETTINGS = {
    "TITLE": "Accountability tracker API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Read-only access to published claims, people, organisations, posts, terms of office, incidents, "
        "accountability events and sources, and source submission for newsrooms with a submit key. "
        "See docs/api.md for a getting-started guide."
    ),
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_schema.add_error_responses",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "accountability.models.EventKind",
        "OrganisationKindEnum": "accountability.models.OrganisationKind",
        "PersonNameKindEnum": "accountability.models.PersonNameKind",
        "TermEndReasonEnum": "accountability.models.TermEndReason",
        "DatePrecisionEnum": "accountability.records.DatePrecision",
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "StanceEnum": "claims.models.Stance",
        "LinkReviewStateEnum": "claims.models.LinkReviewState",
        "FetchStateEnum": "claims.models.FetchState",
        "RecordOriginEnum": "accountability.models.RecordOrigin",
    },
}

# Celery: JSON only, bounded tasks, late acknowledgement so a killed worker loses nothing.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One visibility timeout for broker and result transport: longer than the hard time limit.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT * 2)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_ALWAYS_EAGER = False
# Tasks that touch the database retry any error with exponential back-off (1, 2, 4... seconds, capped), a bounded
# number of times, which rides out a database or broker restart; a task still failing then is parked for a person
# (claims.ParkedTask, in the admin).
TASK_MAX_RETRIES = env.int("TASK_MAX_RETRIES", default=5)
TASK_RETRY_BACKOFF_MAX = env.int("TASK_RETRY_BACKOFF_MAX", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"pgtrigger": {"level": "WARNING"}},
}
# DJANGO_LOG_FORMAT=json: one JSON object per line with the request id (always so in production).
if env("DJANGO_LOG_FORMAT", default="plain") == "json":
    LOGGING = json_logging(env("DJANGO_LOG_LEVEL", default="INFO"))
    CELERY_WORKER_HIJACK_ROOT_LOGGER = False


# Triggers on the implicit many-to-many tables (relation history) are not in migrations: install after migrate.
PGTRIGGER_INSTALL_ON_MIGRATE = True

# Claim matcher. A claim's decision score for a sentence is its cosine + 0.3 x the share of the claim's content
# words the sentence uses + 0.1 when they share a person or organisation + 0.05 when the source is within 60 days of
# the claim (at most 1.45; confidence = score / MATCHER_SCORE_SCALE). Below SUGGEST nothing is stored; between
# SUGGEST and AUTO_LINK the link waits for review; from AUTO_LINK it is stored as confirmed by the matcher (still
# reviewable). Measured with `evaluate_matching --thresholds` on the CLEF dev sets (no entity or date bonus there):
# at 0.60, 75% / 39% of the relevant claims are suggested (tweets / debates) at 50% / 22% precision; from 1.15 every
# stored link was right on both sets. See README "Measuring the matcher".
MATCHER_SUGGEST_THRESHOLD = env.float("MATCHER_SUGGEST_THRESHOLD", default=0.60)
MATCHER_AUTO_LINK_THRESHOLD = env.float("MATCHER_AUTO_LINK_THRESHOLD", default=1.15)
MATCHER_SCORE_SCALE = 1.45
MATCHER_CANDIDATES_PER_SENTENCE = 5
# How often a worker asks PostgreSQL whether the claims or names it matches against changed (each check counts
# the claims and names: about 0.1 s at 100,000 claims). Between checks a new claim is not yet matched by that
# worker; the claim's own look back over recent sources (claims/linking/rescan.py) finds what arrived meanwhile.
MATCHER_INDEX_CHECK_SECONDS = env.float("MATCHER_INDEX_CHECK_SECONDS", default=5.0)
# The re-ranking encoder (multilingual-e5-small) re-scores each uncertain sentence's best candidates: +4.7 / +1.1
# MAP@5 points on the CLEF 2020 / 2021-2B dev sets, at about 30 ms per sentence it sees. Off, linking is several
# times faster (bench/README.md has both figures) and evaluate_matching measures the matcher without it.
MATCHER_SECOND_ENCODER = env.bool("MATCHER_SECOND_ENCODER", default=True)
# A linking task takes, besides its own source, up to this many sources minus one that still wait for theirs (each
# of those tasks then finds its source done). Matching a batch at once shares one encoder call and one pass over
# the claim vectors: bench/linking.py measures the throughput by batch size.
MATCHER_LINKING_BATCH_SIZE = env.int("MATCHER_LINKING_BATCH_SIZE", default=32)

# Public REST API (/api/v1/): newsroom API keys (claims.api), offline Swagger UI / Redoc assets.
INSTALLED_APPS += ["rest_framework_api_key", "drf_spectacular_sidecar", "claims.api"]
# Largest request body the API reads (a submitted source with pasted text); larger ones are answered 413.
API_MAX_REQUEST_BYTES = env.int("API_MAX_REQUEST_BYTES", default=1024 * 1024)

# Content Security Policy (django-csp, config.security): only our own origin, scripts only from files or with the
# per-request nonce (`request.csp_nonce`), no plugins, no framing except the embeddable cards.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Readiness (/readyz) fails when no worker has run the heartbeat task (every 30 s from beat) for this long.
READINESS_HEARTBEAT_MAX_AGE = env.int("READINESS_HEARTBEAT_MAX_AGE", default=120)

# Public pages and API reads cached in Redis for anonymous readers, invalidated on every change to public records
# (accountability.caching); the timeout bounds staleness after a write that bypasses the ORM.
PUBLIC_CACHE_ENABLED = env.bool("PUBLIC_CACHE_ENABLED", default=True)
PUBLIC_CACHE_TIMEOUT = env.int("PUBLIC_CACHE_TIMEOUT", default=300)
