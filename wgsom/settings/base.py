"""Settings read from the environment.

With nothing set the project runs as a newcomer needs it: SQLite, Celery tasks executed
in-process, e-mail printed to the console, DEBUG on. `DATABASE_URL` and `REDIS_URL` switch to
PostgreSQL and a real Celery worker. Every variable is listed in `.env.example` and the README.
A value that cannot be used stops start-up with one line naming the variable.
"""

from __future__ import annotations

import sys
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# docker compose hands `.env` to the containers itself; a developer who wants the same file read
# by `manage.py` says so, so that a compose-oriented `.env` never leaks into `make test`.
if env.str("DJANGO_READ_DOT_ENV_FILE", default="false").lower() in {"1", "true", "yes", "on"}:
    environ.Env.read_env(BASE_DIR / ".env")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def refuse_to_start(message: str) -> None:
    """Stop start-up with one readable line on stderr (exit status 1), not a traceback."""
    sys.exit(f"Configuration error: {message}")


def env_bool(name: str, default: bool) -> bool:
    """Like healthchecks' envbool: an unrecognised value is refused, never read as False."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    refuse_to_start(f"{name}={raw!r} is not a boolean; use true or false.")
    return default  # pragma: no cover - refuse_to_start exits


def env_int(name: str, default: int) -> int:
    raw = env.str(name, default=str(default))
    try:
        return int(raw)
    except ValueError:
        refuse_to_start(f"{name}={raw!r} is not a whole number.")
        return default  # pragma: no cover


def throttle_rate(name: str, raw: str) -> str | None:
    """A DRF throttle rate such as `60/minute`; `off` (or empty) means no limit."""
    raw = raw.strip().lower()
    if raw in {"", "off", "none"}:
        return None
    count, _, period = raw.partition("/")
    if not count.isdigit() or period not in {"second", "minute", "hour", "day"}:
        refuse_to_start(f"{name}={raw!r} is not a rate; use e.g. 60/minute, 1000/hour or off.")
    return raw


# Core and security
# ------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        refuse_to_start("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Development only: a fixed key keeps sessions across restarts of `make run`.
    SECRET_KEY = "insecure-development-key-never-used-with-debug-off"
elif not DEBUG and ("change-me" in SECRET_KEY or len(SECRET_KEY) < 50):
    # The .env.example placeholder is public and a short key can be guessed: with either,
    # anyone could sign session cookies and password-reset links.
    refuse_to_start(
        "DJANGO_SECRET_KEY is the .env.example placeholder or shorter than 50 characters; "
        'generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not DEBUG:
        refuse_to_start("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The site's address, for links in e-mail sent outside a request (Celery, add_user).
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Security headers that cost nothing in development and matter in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only this site's own files run or style a page; no
# inline script, style element or style attribute. The one inline <style> left (the admin's
# change list without actions) and the <style> elements ReDoc writes carry the request's
# nonce, which is in the header only on a response whose template used it. A view that
# needs more widens it for itself with csp.decorators.csp_update (docs/operations.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
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
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Monitors and the balancer ask for the health page over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # A year, as browsers' preload lists expect; 0 turns HSTS off (while HTTPS is being set up).
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)

# Applications, middleware and templates
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation requires: it patches the admin's forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Django's widget templates, for the template-based FORM_RENDERER below.
    "django.forms",
    # Its system checks catch settings in django-csp 3's old form.
    "csp",
    "rest_framework",
    "django_filters",
    "django_htmx",
    "axes",
    "import_export",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    # The second factor of staff accounts (TOTP apps and single-use recovery codes).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # core's one model: when each app's data last changed, for the API's Last-Modified.
    "core.data_versions",
    "outbox",
    "accounts",
    "states",
    "meetings",
    "recommendations",
    "reporting",
    "compliance",
    "ingest",
    "public",
    "subscriptions",
]

MIDDLEWARE = [
    # First, so every log line of the request, other middleware's included, carries its id.
    "core.logging.RequestIdMiddleware",
    # xff.middleware.XForwardedForMiddleware goes here behind proxies (XFF_TRUSTED_PROXY_DEPTH).
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware: ?lang= on the API and downloads overrides Accept-Language.
    "core.middleware.LanguageParameterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(), for StaffSecondFactorMiddleware below.
    "django_otp.middleware.OTPMiddleware",
    # Sets the language cookie to a user's remembered language when they sign in.
    "accounts.signals.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages, which it uses: staff without their second factor this session reach
    # only the second-factor pages; idle or old staff sessions end (accounts/otp_middleware.py).
    "accounts.otp_middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

# Behind reverse proxies (docker-compose.yml's nginx: 1), the client's address is the entry
# that many hops from the end of X-Forwarded-For, where the proxies wrote it; REMOTE_ADDR is
# rewritten to it, so every reader of the address sees the client and never a value the
# client wrote. 0 (no proxy; the default) leaves REMOTE_ADDR and ignores the header: the
# middleware is not installed, since with no depth it would trust the header's first entry.
XFF_TRUSTED_PROXY_DEPTH = env_int("DJANGO_TRUSTED_PROXY_DEPTH", 0)
if XFF_TRUSTED_PROXY_DEPTH < 0:
    refuse_to_start("DJANGO_TRUSTED_PROXY_DEPTH must be 0 or more.")
if XFF_TRUSTED_PROXY_DEPTH:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("core.logging.RequestIdMiddleware") + 1,
        "xff.middleware.XForwardedForMiddleware",
    )

ROOT_URLCONF = "wgsom.urls"
# Every form renders through templates/forms/ (labels above fields, hints, errors; core/forms.py).
FORM_RENDERER = "core.forms.FormRenderer"
WSGI_APPLICATION = "wgsom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # core is no installed app (it has no models); its template libraries are named here.
            "libraries": {
                "formatting": "core.templatetags.formatting",
                "site_contact": "core.templatetags.site_contact",
            },
        },
    },
]

# Database
# ------------------------------------------------------------------------------
try:
    DATABASES = {
        "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    }
except environ.ImproperlyConfigured as exc:  # an unknown scheme, say
    refuse_to_start(f"DATABASE_URL cannot be used: {exc}")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Kept open between requests: opening a PostgreSQL connection costs a request several
# milliseconds, more than most of the API's answers take to read.
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DJANGO_CONN_MAX_AGE", 60))
# A connection kept open (CONN_MAX_AGE) that the server dropped, say on a database restart, is
# replaced before the request uses it instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A streaming replica of the primary (docker-compose.yml's `replica` profile), off unless set:
# then core.db_routers sends the reads of public, read-only requests there and everything
# else (writes, transactions, the rest of a request that wrote, signed-in users, the next
# REPLICA_PIN_SECONDS of a browser that wrote, Celery, commands) to the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 15)
if REPLICA_PIN_SECONDS < 1:
    refuse_to_start("DATABASE_REPLICA_PIN_SECONDS must be at least 1.")
# Always read from the primary, whatever the request: sign-in, sessions, tokens and second
# factors must never lag behind the write that made or revoked them.
REPLICA_PRIMARY_ONLY_APPS = [
    "accounts",
    "auth",
    "sessions",
    "axes",
    "otp_totp",
    "otp_static",
    "django_celery_beat",
]
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    except environ.ImproperlyConfigured as exc:
        refuse_to_start(f"DATABASE_REPLICA_URL cannot be used: {exc}")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests run against one database: the replica alias reads the primary's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.db_routers.PrimaryReplicaRouter"]
    # Early, so that every read of the request, other middleware's included, is routed.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("core.logging.RequestIdMiddleware") + 1,
        "core.db_routers.ReplicaRoutingMiddleware",
    )

# Internationalisation
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The six official languages of the United Nations, each named in itself (a reader looks for
# their own language's name); Arabic is written right to left (Django's LANGUAGES_BIDI).
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content in six languages (docs/languages-content.md): the translatable fields of themes,
# regional groups, agenda items and documents get one column per language. Named here rather
# than taken from LANGUAGES so that the columns, and the migrations that make them, do not
# change with the interface's languages. English is the original; an empty translation reads
# as English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "Europe/Vienna"
USE_I18N = True
USE_TZ = True

# Cache and Celery
# ------------------------------------------------------------------------------
# Without REDIS_URL, Celery tasks run in-process, so a newcomer needs no broker.
REDIS_URL = env.str("REDIS_URL", default="")
# With Redis, the cache is shared by every process, so API throttles and the debounced
# compliance refresh hold across gunicorn and Celery workers; without it, per process.
# core.cache.DegradingRedisCache answers a Redis that is down as a miss (logged, rate-limited),
# so pages and the API still serve; short socket timeouts make a dead Redis cost milliseconds.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions read from Redis and written through to the database: no web process keeps
    # anything of its own, a request may go to any of them, and a Redis that is down or
    # emptied only costs a read of the session's row (DegradingRedisCache answers a miss).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# One queue per kind of work, so that a long import or a snapshot never holds up e-mail, and
# each can get workers of its own (docker-compose.yml, docs/operations.md "Scaling out"). A
# worker started without -Q consumes every queue below (make worker). Routes are globs, so a
# new task of these modules lands on its queue without a change here; the rest go to default.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [
    Queue(name) for name in ("default", "imports", "mail", "snapshots", "similarity")
]
CELERY_TASK_ROUTES = {
    "reporting.tasks.*import*": {"queue": "imports"},
    "ingest.tasks.*": {"queue": "imports"},
    "outbox.tasks.*": {"queue": "mail"},
    "compliance.tasks.*snapshot*": {"queue": "snapshots"},
    "compliance.tasks.*report*": {"queue": "snapshots"},
    "recommendations.tasks.*": {"queue": "similarity"},
}
CELERY_TIMEZONE = TIME_ZONE
# A Redis that is down must fail a web request's queueing in about a second, not hang it: it is
# logged and the nightly run catches up (kombu's defaults retry for up to 4 s and then some).
# A local Redis answers a connection in milliseconds; half a second is generous, and keeps an
# unreachable one (packets dropped, not refused) under a second and a half with the retry below.
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    # Publishing and consuming must not wait forever on a half-open connection; above the
    # worker's 1 s BRPOP timeout.
    "socket_timeout": 10,
}
# A task a worker took but never acknowledged (acks late: the worker died) goes back to the
# queue after this many seconds; Celery's default is an hour. It must outlast the longest task
# (CELERY_TASK_TIME_LIMIT) and the longest countdown a worker holds unacknowledged (the
# 15-minute cap of the retry back-offs), or a task still running is delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env_int(
    "CELERY_BROKER_VISIBILITY_TIMEOUT", max(CELERY_TASK_TIME_LIMIT, 15 * 60) + 5 * 60
)
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    refuse_to_start("CELERY_BROKER_VISIBILITY_TIMEOUT must be above CELERY_TASK_TIME_LIMIT.")
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# The result backend subscribes to each task's result as it is queued, retrying 20 times a
# second apart by default: a web request then hung 19 s on a Redis that is down. Once is enough.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 0.5
CELERY_REDIS_SOCKET_TIMEOUT = 10
# The worker keeps trying to reach the broker when it starts before Redis does.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Static and media files
# ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Authentication and accounts
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: revokes the user's API tokens on every password change, by any path.
    {"NAME": "accounts.password_validation.RevokeApiTokensOnPasswordChange"},
]
LOGIN_URL = "login"
# Signing in lands on "Needs your action" (compliance/work_views.py); a ?next= still wins.
LOGIN_REDIRECT_URL = "work"
LOGOUT_REDIRECT_URL = "home"

# Roles: members of this group are Secretariat staff (created by accounts' migration 0002).
SECRETARIAT_GROUP_NAME = "Secretariat"

# Repeated failed sign-ins lock, for a while, the account AT THE ADDRESS they came from: an
# account alone would let anyone anywhere lock out any member of staff with five guesses.
# An address that fails against many accounts (one password tried on a list of names) is
# locked as a whole, after more failures, as an office gateway may be shared by colleagues
# mistyping. Axes has one limit, so AXES_FAILURE_LIMIT is a callable: the account-at-address
# limit, or none left once the address reached its own (accounts.services). A successful
# sign-in clears the account-at-address count.
SIGN_IN_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("DJANGO_AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_FAILURE_LIMIT = "accounts.services.sign_in_failure_limit"
# django-axes reads a number as hours.
AXES_COOLOFF_TIME = env_int("DJANGO_AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
SILENCED_SYSTEM_CHECKS: list[str] = []
if not DEBUG and not SECURE_HSTS_PRELOAD:
    # Preloading is the decision of whoever owns the whole domain and is slow to undo, so it
    # is asked for explicitly (DJANGO_SECURE_HSTS_PRELOAD), not nagged about by check --deploy.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
# Every lockout, throttle and audit line reads the one client address REMOTE_ADDR (after the
# proxy rewrite below), never a header the client can write.
AXES_CLIENT_IP_CALLABLE = "accounts.services.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
if SIGN_IN_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME <= 0:
    refuse_to_start("DJANGO_AXES_FAILURE_LIMIT and DJANGO_AXES_COOLOFF_MINUTES must be positive.")
if SIGN_IN_ADDRESS_FAILURE_LIMIT < SIGN_IN_FAILURE_LIMIT:
    refuse_to_start("DJANGO_AXES_ADDRESS_FAILURE_LIMIT must be at least DJANGO_AXES_FAILURE_LIMIT.")

# Staff accounts (Secretariat, admin users) sign in with a password and a second factor: a
# code of an authenticator app (TOTP) or a single-use recovery code (docs/operations.md).
# Off only in the test settings, where most tests sign staff in with force_login.
OTP_REQUIRED_FOR_STAFF = True
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "WGSOM Tracker"
# Staff sessions end after this long without a request, and this long after signing in
# whatever happens; other users keep SESSION_COOKIE_AGE.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 10)
if STAFF_SESSION_IDLE_MINUTES < 1 or STAFF_SESSION_MAX_HOURS < 1:
    refuse_to_start("STAFF_SESSION_IDLE_MINUTES and STAFF_SESSION_MAX_HOURS must be positive.")
# Validating a report, changing a user's roles and making or revoking an API token ask staff
# for their password (or a code) again when they last proved who they are longer ago.
REAUTH_MINUTES = 15

# E-mail
# ------------------------------------------------------------------------------
# Printed to the console unless EMAIL_URL names a server (smtp://user:pass@host:587).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="wgsom-tracker@localhost")
# The address the error pages give readers to write to the Secretariat; blank, they name the
# Secretariat without an address.
SECRETARIAT_CONTACT_EMAIL = env.str("SECRETARIAT_CONTACT_EMAIL", default="")
# Every e-mail goes through the outbox (outbox/services.py): attempts at sending one before it
# is marked failed, the longest wait between two (1, 2, 4, ... minutes until then), and how long
# sent messages are kept.
OUTBOX_MAX_ATTEMPTS = 8
OUTBOX_RETRY_BACKOFF_MAX = 60 * 60
OUTBOX_KEEP_SENT_DAYS = 7

# REST API
# ------------------------------------------------------------------------------
# The apps whose writes move their data version (core/data_versions/), which a list's
# Last-Modified reads instead of scanning its rows.
DATA_VERSION_APPS = ["states", "meetings", "recommendations", "reporting", "compliance"]
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 500)
if API_MAX_PAGE_SIZE < 1:
    refuse_to_start(f"API_MAX_PAGE_SIZE={API_MAX_PAGE_SIZE} must be at least 1.")
# What is kept in the cache under a data version (core/data_versions), dropped by the next
# write: an API list's count and its JSON pages (core/api/), the counts of the home, States,
# State and themes pages. At most this many seconds, so a write that moves no version
# (QuerySet.update) shows within it. 0: nothing is kept.
VERSIONED_CACHE_SECONDS = env_int("VERSIONED_CACHE_SECONDS", 300)
if VERSIONED_CACHE_SECONDS < 0:
    refuse_to_start(f"VERSIONED_CACHE_SECONDS={VERSIONED_CACHE_SECONDS} must be at least 0.")
# How long an API token works after it is made: a forgotten or leaked key stops by itself.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
if API_TOKEN_DAYS < 1:
    refuse_to_start(f"API_TOKEN_DAYS={API_TOKEN_DAYS} must be at least 1.")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.APIAutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.StrictFilterBackend",
        "core.api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    # Token first: an anonymous request then gets a 401 with `WWW-Authenticate: Token`
    # (DRF answers 403 when the first class cannot name a challenge, as sessions cannot).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's TokenAuthentication with hashed, expiring, revocable keys (accounts.ApiToken).
        "accounts.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "core.api.renderers.BrowsableAPIRenderer",
        "core.api.renderers.CSVRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttles.AnonymousThrottle",
        "core.api.throttles.SignedInThrottle",
    ],
    # The throttles identify a client by REMOTE_ADDR alone. DRF's default reads the
    # X-Forwarded-For header, which any client writes: a random value per request went
    # through the anonymous limit. Behind proxies, REMOTE_ADDR is already the client's
    # (the X-Forwarded-For middleware below).
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        "anon": throttle_rate(
            "API_THROTTLE_ANON", env.str("API_THROTTLE_ANON", default="120/minute")
        ),
        "user": throttle_rate(
            "API_THROTTLE_USER", env.str("API_THROTTLE_USER", default="1200/minute")
        ),
    },
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.filters.StrictContentNegotiation",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "WGSOM Recommendations Tracker API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "DESCRIPTION": (
        "Meetings, recommendations, themes, States and their implementation reports of "
        "the Working Group on the Smuggling of Migrants. Reads of published data are "
        "public; writes need a token (`Authorization: Token <key>`, made on your profile "
        "page) of Secretariat staff or of a State's focal point. Lists are paged "
        "(`page`, `page_size`), filtered (an unknown value or parameter is a 400 naming "
        "it) and available as CSV (`?format=csv`). `updated_since` gives what changed "
        "since a previous pull. Every GET carries an ETag; send it back in If-None-Match "
        "to get a 304. Errors are JSON: `{detail, code, errors}`."
    ),
    # OpenAPI 3.1: a nullable field is `type: [..., "null"]` and a nullable object is a
    # `oneOf` with null, which strict clients and linters read; 3.0's `nullable` beside a
    # `$ref` has no type and is refused by both.
    "OAS_VERSION": "3.1.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The installation that serves the schema; a generated client takes it as its base URL.
    "SERVERS": [{"url": SITE_URL, "description": "This installation of the tracker."}],
    "CONTACT": {
        "name": env.str(
            "API_CONTACT_NAME",
            default="Secretariat of the Working Group on the Smuggling of Migrants (UNODC)",
        ),
        "url": env.str("API_CONTACT_URL", default=f"{SITE_URL}/"),
    },
    # The recommendations and reports are United Nations material, published under its terms
    # of use; an installation that publishes under another licence says so here.
    "LICENSE": {
        "name": env.str("API_LICENSE_NAME", default="United Nations terms of use"),
        "url": env.str("API_LICENSE_URL", default="https://www.un.org/en/about-us/terms-of-use"),
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.inline_null",
        "core.api.schema.empty_query_values_allowed",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ImplementationStatusEnum": "core.statuses.ImplementationStatus",
        "RecommendationStatusEnum": "recommendations.models.RecommendationStatus",
        "ReviewStateEnum": "reporting.models.ImplementationReportReviewState",
        "CurrentStatusEnum": "core.statuses.CURRENT_STATUS_CHOICES",
        "StateKindEnum": "states.models.StateKind",
        "DocumentKindEnum": "meetings.models.DocumentKind",
    },
    "TAGS": [
        {"name": "meetings", "description": "Meetings of the Working Group."},
        {"name": "agenda-items", "description": "Agenda items of the meetings."},
        {"name": "documents", "description": "Documents with a UN symbol."},
        {"name": "themes", "description": "The nine themes of the compendium."},
        {"name": "recommendations", "description": "Recommendations and their status."},
        {"name": "states", "description": "States, their Protocol status and status."},
        {"name": "regional-groups", "description": "The five UN regional groups."},
        {
            "name": "implementation-reports",
            "description": "What States report about implementing recommendations.",
        },
        {"name": "compliance", "description": "How many States report implementing."},
    ],
}

# Public site
# ------------------------------------------------------------------------------
# Recommendations per page of the public list (downloads always hold the whole selection).
PUBLIC_SITE_PAGE_SIZE = 20
# Lists count their selection up to this many rows, then say "more than" (core/paging.py).
LIST_COUNT_CAP = 10_000
# Past this many meetings the list's meeting filter is a number field, not a dropdown.
PUBLIC_FILTER_SELECT_LIMIT = 30
# Reports shown on a State's page; the rest are on its reports page.
PUBLIC_STATE_LATEST_REPORTS = 10

# Reporting (attachments)
# ------------------------------------------------------------------------------
# Report attachments live outside MEDIA_ROOT and have no URL: the attachment view serves
# them to users allowed to read the report. Types are checked by content, not by name.
REPORT_ATTACHMENTS_ROOT = Path(
    env.str("DJANGO_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media"))
)
REPORT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
REPORT_ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}

# Compliance summaries
# ------------------------------------------------------------------------------
# Validations within this many seconds share one snapshot refresh, queued this long after the
# first of them (compliance/services.py: snapshot_refresh_soon).
COMPLIANCE_REFRESH_DEBOUNCE_SECONDS = env_int("COMPLIANCE_REFRESH_DEBOUNCE_SECONDS", 60)
if COMPLIANCE_REFRESH_DEBOUNCE_SECONDS < 1:
    refuse_to_start("COMPLIANCE_REFRESH_DEBOUNCE_SECONDS must be at least 1.")
# The days after a meeting before focal points are reminded are not a setting: the Secretariat
# keeps them in the database (compliance.ReminderSettings, on its Reminders page).
# Retries of the compliance tasks after a database error: exponential back-off (1 s, 2 s,
# 4 s, ... with jitter) capped at COMPLIANCE_TASK_RETRY_BACKOFF_MAX seconds.
COMPLIANCE_TASK_MAX_RETRIES = 6
COMPLIANCE_TASK_RETRY_BACKOFF_MAX = 600
# A snapshot takes seconds; a minute past that something is wrong and the task is stopped
# (the transaction rolls back, the previous snapshot stays). Reminders wait on the mail server.
COMPLIANCE_SNAPSHOT_SOFT_TIME_LIMIT = min(120, CELERY_TASK_SOFT_TIME_LIMIT)
COMPLIANCE_SNAPSHOT_TIME_LIMIT = min(180, CELERY_TASK_TIME_LIMIT)

# Feeds and e-mail subscriptions
# ------------------------------------------------------------------------------
# Entries per Atom feed: the newest ones; a reader that polls keeps the older ones itself.
FEEDS_MAX_ENTRIES = 50
# Days a confirmation link stays valid; unconfirmed sign-ups older than that are deleted.
SUBSCRIPTIONS_CONFIRMATION_DAYS = env_int("SUBSCRIPTIONS_CONFIRMATION_DAYS", 7)
# Confirmation e-mails one address may be sent per day, so the sign-up form cannot be used to
# flood someone's mailbox; sign-ups beyond it are answered the same and send nothing.
SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY = env_int("SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY", 3)
if SUBSCRIPTIONS_CONFIRMATION_DAYS < 1 or SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY < 1:
    refuse_to_start(
        "SUBSCRIPTIONS_CONFIRMATION_DAYS and SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY must be at "
        "least 1."
    )
# Retries of a digest or confirmation e-mail after a mail-server error: exponential back-off
# (1 s, 2 s, 4 s, ... with jitter) capped at SUBSCRIPTIONS_RETRY_BACKOFF_MAX seconds.
SUBSCRIPTIONS_MAX_RETRIES = 6
SUBSCRIPTIONS_RETRY_BACKOFF_MAX = 900

# Import
# ------------------------------------------------------------------------------
# Where `load_wgsom` finds the reference data kept in this repository.
WGSOM_DATA_DIR = BASE_DIR / "data"
# The largest report file the staff import page accepts (a UN report is well under 2 MB), and
# how long the signed preview of an upload stays valid before confirming needs a new upload.
REPORT_IMPORT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
REPORT_IMPORT_PREVIEW_MAX_AGE = 60 * 60
# The bodies whose meeting reports may be imported, by the start of their document symbols: a
# report whose symbol starts otherwise (CTOC/COP/WG.4/..., the Working Group on Trafficking in
# Persons) is refused, naming the body it belongs to. The Working Group's own by default.
INGEST_TRACKED_SYMBOL_PREFIXES = ["CTOC/COP/WG.7"]
# What one uploaded file may cost, for meeting reports (staff page, import_report, load_wgsom)
# and spreadsheets of implementation reports; past a limit the file is refused in one line
# naming the limit and the value (docs/import.md, "Limits"). A UN report is a few hundred lines
# with paragraph numbers below 200; a spreadsheet of every State on every recommendation of a
# meeting is about 4,300 rows.
INGEST_MAX_LINES = 10_000  # lines of a text or PDF, paragraphs of a Word file
INGEST_MAX_LIST_NUMBER = 10_000  # the highest value Word's automatic numbering may reach
INGEST_PARSE_SECONDS = 20  # the parser stops and refuses the file after this long
# A .docx or .xlsx is a zip archive: its size once unpacked, and how much better than this
# ratio any part larger than 1 MB may compress (zip bombs compress a thousand to one).
IMPORT_MAX_UNZIPPED_BYTES = 25 * 1024 * 1024
IMPORT_MAX_ZIP_RATIO = 100
# The largest spreadsheet of implementation reports, its most rows, and how many rows the
# import job writes between two progress updates.
REPORTING_IMPORT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
REPORTING_IMPORT_MAX_ROWS = 20_000
REPORTING_IMPORT_PROGRESS_EVERY = 250

# Logging
# ------------------------------------------------------------------------------
# DJANGO_LOG_FORMAT=json writes one JSON object per line (python-json-logger) for a log
# collector; text, the default, is for a person reading a terminal.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    refuse_to_start(f"DJANGO_LOG_FORMAT={LOG_FORMAT!r} is not text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # An ISO 8601 time in UTC, under "timestamp".
            "timestamp": True,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Error tracking
# ------------------------------------------------------------------------------
# Off unless SENTRY_DSN is set: nothing of sentry_sdk is even imported then. No personal data
# is sent (user names, addresses, cookies); reports carry the environment and release.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # sentry-sdk 3 replaced send_default_pii with data_collection: no user identity, no
        # cookies, no request bodies (a contact point's form holds names and addresses).
        data_collection={"user_info": False, "cookies": {"mode": "off"}, "http_bodies": []},
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=0.0,
    )

# Backups (make backup / make restore: core/management/commands/backup.py)
# ------------------------------------------------------------------------------
# The archives' folder, the Fernet key they are encrypted with (never stored beside them),
# and how many of the newest daily archives are kept after each successful backup.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "backups")))
BACKUP_ENCRYPTION_KEY = env.str("BACKUP_ENCRYPTION_KEY", default="")
BACKUP_KEEP_DAILY = env_int("BACKUP_KEEP_DAILY", 14)
if BACKUP_KEEP_DAILY < 1:
    refuse_to_start("BACKUP_KEEP_DAILY must be at least 1.")
