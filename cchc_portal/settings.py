"""Settings, read from the environment.

Every value a deployment changes comes from an environment variable (see README, "Configuration").
Without any, the portal runs in development mode on a SQLite file next to manage.py.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The demo loader refuses to run unless this is on, so production never gets demo users.
DEMO_MODE = env_bool("DEMO_MODE", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
# The portal's address as people reach it (https://cchc.example.gov.vn): every link in an e-mail
# starts with it. Required in production: `check --deploy` fails without it (ops/checks.py).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_fsm",
    "simple_history",
    "org",
    "axes",
    "csp",
    # Before django_tasks_db: its `db_worker` command (with a heartbeat) replaces the package's.
    "ops",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "indicators",
    "reports",
    "documents",
    "review",
    "province",
    "signatures",
    "api",
    "parindex",
    "home",
    "demo",
]

MIDDLEWARE = [
    "ops.middleware.HealthCheckMiddleware",
    "ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ops.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc_portal.urls"
WSGI_APPLICATION = "cchc_portal.wsgi.application"

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
                "reports.context_processors.unread_notifications",
                "home.context_processors.todo",
            ],
            # lib has no app to hold a tag library; the slot tag is registered from here.
            "libraries": {"slots": "lib.slots"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections in production: a new PostgreSQL connection costs several ms a
        # request; health checks drop a broken one before reuse. 0 under DEBUG's runserver
        # (a thread per request would leave connections open) and behind PgBouncer.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default bears a few people and a task worker at once: readers never wait for
    # the writer (WAL), a writer waits its turn for up to SQLITE_BUSY_SECONDS instead of failing
    # at once, and every transaction takes the write lock when it begins, so two transactions
    # that read and then write never deadlock on upgrading their locks ("database is locked").
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_SECONDS", 30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# One cache shared by every web and worker process, on every machine: a validation result or a
# queued render recorded by one process must be found by whichever serves the next request.
# It lives in the database (table made by migration ops 0002), so it needs no other service.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cchc_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

AUTH_USER_MODEL = "org.User"
# AxesStandaloneBackend first: a locked-out username+address is refused before any password check.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "org.permissions.RoleBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Argon2 first (the Password Hashing Competition's winner, Django's recommendation): as strong as
# PBKDF2's 1,000,000 iterations for about half the CPU per login; older hashes still verify and
# are rehashed with Argon2 at the next login (docs/benchmarks.md, "Login").
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["cchc_portal.formats"]
# Strings of Django 5.2 that its Vietnamese catalogue lacks (admin labels, user help texts).
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Stored files (generated documents); scripts/backup copies this folder with the database.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Several web and worker machines share stored files through S3-compatible object storage
# (django-storages) once a bucket is set; one machine keeps them under MEDIA_ROOT.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "location": os.environ.get("S3_PREFIX", ""),
            # Documents are served by the portal after its permission checks, never by URL.
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or DEMO_MODE
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# The demo runs with DEBUG off but serves static files from their folders, as development does:
# collectstatic's hashing and compression would add half a minute to every start.
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads (Excel files): refuse large bodies before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 20000)
XLSX_MAX_BYTES = env_int("XLSX_MAX_BYTES", 2 * 1024 * 1024)
XLSX_MAX_ROWS = env_int("XLSX_MAX_ROWS", 5000)
# Only the first XLSX_MAX_COLUMNS columns of a sheet are read; a file with more than
# XLSX_MAX_CELLS filled cells (in those columns, over all sheets) is refused before reading.
XLSX_MAX_COLUMNS = env_int("XLSX_MAX_COLUMNS", 50)
XLSX_MAX_CELLS = env_int("XLSX_MAX_CELLS", 50000)

# Digital signatures (signatures app, docs/signatures.md). Trust anchors and CRL files an
# administrator installs; bodies' seals (PKCS#12 files and their passphrase files); the
# typeface of visible signature stamps (Vietnamese needs a full Unicode font).
SIGNATURE_TRUST_DIR = Path(os.environ.get("SIGNATURE_TRUST_DIR", BASE_DIR / "trust"))
SIGNATURE_SEAL_DIR = Path(os.environ.get("SIGNATURE_SEAL_DIR", BASE_DIR / "seals"))
SIGNATURE_STAMP_FONT = Path(
    os.environ.get("SIGNATURE_STAMP_FONT", "/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf")
)
SIGNED_PDF_MAX_BYTES = env_int("SIGNED_PDF_MAX_BYTES", 20 * 1024 * 1024)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# lib.mail.SummaryEmailBackend (the demo's): every message in full to this file, a line on screen.
MAIL_LOG_FILE = os.environ.get("MAIL_LOG_FILE", str(BASE_DIR / "mail.log"))

# Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Login throttling (django-axes): a username from one address is locked after AXES_FAILURE_LIMIT
# wrong passwords, and an address after AXES_ADDRESS_FAILURE_LIMIT over all usernames, for
# AXES_COOLOFF_MINUTES; administrators unlock it in /quan-tri/ (Axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "ops.throttling.AddressLimitHandler"
AXES_RESET_ON_SUCCESS = True
# Failed logins and lockouts kept for the audit page (successful logins are in AccessLog).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "ops.throttling.client_ip"
AXES_USERNAME_CALLABLE = "ops.throttling.client_username"
# The addresses (or networks) of the reverse proxies in front of gunicorn: only their
# X-Forwarded-For is believed, for throttling and the audit trail. The old switch
# TRUST_X_FORWARDED_FOR=1 means nginx on this machine.
TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES",
    ["127.0.0.1", "::1"] if env_bool("TRUST_X_FORWARDED_FOR", False) else [],
)
try:
    for _proxy in TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
# Password reset e-mails per hour: from one address (then refused), to one account (then
# silently not sent, so the answer never tells whether an account exists).
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 10)
PASSWORD_RESET_ACCOUNT_LIMIT = env_int("PASSWORD_RESET_ACCOUNT_LIMIT", 3)
# A signed-in session lasts a working day from login.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# Background tasks (Django's Tasks API through the django-tasks backport): stored in the database,
# run by `manage.py db_worker` processes (docs/decisions/0008-background-tasks.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # E-mails have their own queue: a worker may serve them alone (the demo sends its
        # history's mails before starting), so that renders never hold them up.
        "QUEUES": ["default", "mail"],
    }
}
# Each worker records a heartbeat this often; /healthz answers 503 ("tasks") when no worker has
# beaten for WORKER_STALE_SECONDS or a ready task has waited TASK_QUEUE_MAX_AGE_SECONDS.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 60)
TASK_QUEUE_MAX_AGE_SECONDS = env_int("TASK_QUEUE_MAX_AGE_SECONDS", 300)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 5)
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 60)

# Content-Security-Policy (django-csp 4): our own origin only, no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The JSON API for systems around the portal (api app, docs/api.md): bearer tokens of clients
# registered by administrators, typed JSON, every call logged, a budget of calls per client.
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 120)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.IsClient"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["api.rendering.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.rendering.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API cổng báo cáo CCHC",
    "VERSION": "1.0.0",
    "DESCRIPTION": (BASE_DIR / "api" / "description.md").read_text(encoding="utf-8"),
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    # Descriptions come from extend_schema and help texts (Vietnamese), never from docstrings.
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    "ENUM_NAME_OVERRIDES": {
        "ReportStateEnum": "reports.models.ReportState",
        "ValueTypeEnum": "indicators.types.ValueType",
        "UnitKindEnum": "org.models.UnitKind",
        "PeriodKindEnum": "lib.periods.PeriodKind",
    },
}

# One line per request (ops.middleware); LOG_FORMAT=json writes each line as a JSON object.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "ops.logging.JsonFormatter"},
    },
    "filters": {"request_id": {"()": "ops.logging.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # The request log replaces Django's own per-request warnings (4xx/5xx) lines.
        "django.request": {"level": "ERROR"},
        # runserver's (the demo's) line per request and static file repeats the request log.
        "django.server": {"level": "ERROR"},
        # axes announces its version at every start, management commands included.
        "axes.apps": {"level": "WARNING"},
    },
}
