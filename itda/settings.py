"""One env-driven settings module. ITDA_ENV=production switches on the deploy hardening."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from itda.lib.env import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env.text("ITDA_DATA_DIR", str(BASE_DIR / ".itda")))
ITDA_ENV = env.choice("ITDA_ENV", "development", ("development", "production"))
PRODUCTION = ITDA_ENV == "production"

DEBUG = env.flag("DEBUG", False)
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("DEBUG must not be on with ITDA_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env.required("SECRET_KEY", "sessions, CSRF and signed links need a secret key.")
    ALLOWED_HOSTS = env.items("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set: the host names itda answers to.")
else:
    # Development and tests only: a fixed key keeps sessions across restarts of `make demo`.
    SECRET_KEY = env.text("SECRET_KEY", "itda-development-key-not-for-production-use-0123456789")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# Field-encryption keys: "kid:base64key,kid:base64key", the first one encrypts.
if PRODUCTION:
    FIELD_ENCRYPTION_KEYS = env.required(
        "FIELD_ENCRYPTION_KEYS", "bank account numbers are encrypted at rest with these keys."
    )
else:
    FIELD_ENCRYPTION_KEYS = env.text(
        "FIELD_ENCRYPTION_KEYS", "dev1:aXRkYS1kZXZlbG9wbWVudC1rZXktb25seS0zMmJ5dGU="
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "itda.accounts",
    "itda.notifications",
    "itda.programs",
    "itda.recruitment",
    "itda.evaluation",
    "itda.training",
    "itda.internships",
    "itda.matching",
    "itda.payments",
    "itda.outcomes",
    "itda.privacy",
    "itda.demo",
    "itda.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "itda.accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "itda.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itda.urls"
WSGI_APPLICATION = "itda.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "itda" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "itda.accounts.context_processors.navigation",
                "itda.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if env.text("DATABASE_URL", ""):
    DATABASES = {"default": dj_database_url.parse(env.text("DATABASE_URL", ""))}
else:
    from itda.lib.embedded_pg import ensure_running

    DATABASES = {"default": ensure_running(DATA_DIR / "pgdata")}
DATABASES["default"]["CONN_MAX_AGE"] = env.number("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "itda.accounts.backends.LockoutAwareModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "itda.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Per account, over all addresses (itda 기본값 — 운영지침 확인 필요): after this many failed
# passwords the account is locked; each further lockout before a successful login doubles the
# period, up to the maximum. django-axes above still limits each (account, address) pair.
ITDA_LOGIN_LOCKOUT_FAILURES = 10
ITDA_LOGIN_LOCKOUT_PERIOD = timedelta(minutes=15)
ITDA_LOGIN_LOCKOUT_MAX = timedelta(hours=24)
# API tokens expire; a new password or a deactivation revokes them earlier.
ITDA_API_TOKEN_LIFETIME = timedelta(days=env.number("ITDA_API_TOKEN_DAYS", 90, minimum=1))
OTP_TOTP_ISSUER = "itda"
# Forgotten passwords (itda 기본값 — 운영지침 확인 필요): a reset link works for one hour and
# once; an address, and an e-mail, get at most this many links an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
ITDA_PASSWORD_RESET_PER_HOUR = 5

# PIPA 제6조④: idle sessions end after 30 minutes; requests slide the window, the session being
# saved again at most once a minute (accounts.middleware.SessionRefreshMiddleware), so it ends
# 29–30 minutes after the last request (itda 기본값 — 운영지침 확인 필요).
SESSION_COOKIE_AGE = 30 * 60
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "itda.accounts.views.csrf_failure"

# --- Locale ---------------------------------------------------------------------------------
LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
# `npm run build` (scripts/build_static.mjs) writes the KRDS, htmx and Chart.js assets here.
STATICFILES_DIRS = [BASE_DIR / "itda" / "static", BASE_DIR / "itda" / "static_build"]
# Uploaded documents: never served as static files; only a scoped view hands them out.
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# WhiteNoise serves static files in every mode; outside production straight from the finders,
# so `make demo` needs no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Background tasks -----------------------------------------------------------------------
# immediate: a task runs inside the request that enqueued it (development, tests); database: a
# `manage.py db_worker` process beside the web server runs it (production, and `make demo`, which
# serves as production does). The queue's tables exist everywhere, so either can be chosen.
ITDA_TASKS = env.choice(
    "ITDA_TASKS", "database" if PRODUCTION else "immediate", ("immediate", "database")
)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if ITDA_TASKS == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}
INSTALLED_APPS.append("django_tasks_db")
# A running Excel import writes a heartbeat at its start and after every batch of 1,000 rows
# (seconds apart); one silent for this long lost its worker and is shown as failed.
ITDA_IMPORT_JOB_STALE_AFTER = timedelta(
    minutes=env.number("ITDA_IMPORT_JOB_STALE_MINUTES", 5, minimum=1)
)

# --- Security headers -----------------------------------------------------------------------
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.choice(
            "LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        ),
    },
}


def public_url(environ) -> str:
    """``ITDA_PUBLIC_URL`` when set; else this machine at the port the server is started on
    (``PORT``, as ``make demo`` passes it), so printed links reach the running server."""
    explicit = environ.get("ITDA_PUBLIC_URL", "").strip()
    if explicit:
        return explicit.rstrip("/")
    port = environ.get("PORT", "").strip() or "8000"
    if not (port.isdigit() and 0 < int(port) < 65536):
        raise ImproperlyConfigured(f"PORT must be a TCP port number, not {port!r}.")
    return f"http://127.0.0.1:{int(port)}"


# The address printed in QR codes: the attendance link a phone opens in the room, and a
# certificate's verification page; also the demo's printed logins.
ITDA_PUBLIC_URL = public_url(os.environ)

# PIPA 제8조: 접속기록 are kept at least two years (the programme processes >50,000 subjects).
ACCESS_LOG_RETENTION_DAYS = 2 * 365

# Every change to a domain record is kept: inserts, updates (bulk ones too) and deletes.
import pghistory  # noqa: E402

PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)
PGHISTORY_OBJ_FIELD = pghistory.ObjForeignKey(db_index=True)
# The admin's list of changes names records, fields and values in Korean.
PGHISTORY_ADMIN_CLASS = "itda.accounts.history.KoreanEventsAdmin"
# Triggers on Django's auto-created M2M tables have no migration of their own: install them
# (idempotently) after every migrate.
PGTRIGGER_INSTALL_ON_MIGRATE = True

# E-mail: SMTP in production (EMAIL_HOST etc. from the environment); elsewhere the console, so
# `make demo` never tries to reach a mail server.
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "잇다 itda <no-reply@itda.example.kr>")
if PRODUCTION:
    EMAIL_HOST = env.text("EMAIL_HOST", "localhost")
    EMAIL_PORT = env.number("EMAIL_PORT", 25, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env.text("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env.text("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
