"""Settings for the commune grassroots-democracy portal.

Everything that differs between a laptop and production comes from the environment:

- ``DATABASE_URL``: default SQLite under ``var/``; ``postgres://…`` in production and CI.
- ``REDIS_URL``: optional broker for django-q2 (otherwise the ORM broker on the same database).
- ``DJANGO_DEBUG``, ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``DJANGO_CSRF_TRUSTED_ORIGINS``.
- ``EMAIL_URL``-style settings: ``DJANGO_EMAIL_BACKEND`` (by default each mail is written to a file under
  ``DJANGO_EMAIL_FILE_PATH``, ``var/mail/``, so the console stays readable; set ``…smtp.EmailBackend`` to send),
  ``EMAIL_HOST`` …
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("DJANGO_REQUIRE_SECRET_KEY") == "1":
        raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
    # Development and tests only: a stable key that is obviously not a secret.
    SECRET_KEY = "dev-insecure-" + "k" * 50  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "portal.apps.TaskQueueConfig",  # django_q, named in Vietnamese
    "portal.apps.LoginGuardConfig",  # axes, named in Vietnamese
    "csp",
    "portal.apps.PortalConfig",
    "portal.intake.apps.IntakeConfig",
    "portal.documents.apps.DocumentsConfig",
    "portal.publicity.apps.PublicityConfig",
    "consultations.apps.ConsultationsConfig",
    "dialogues.apps.DialoguesConfig",
    "campaigns.apps.CampaignsConfig",
]

MIDDLEWARE = [
    "portal.middleware.TrustedProxyMiddleware",  # before anything reads X-Forwarded-* (SecurityMiddleware does)
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.ControlCharsMiddleware",  # before CSRF and every view reads request.GET / request.POST
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "portal.unavailable.DatabaseUnavailableMiddleware",  # last: its process_exception sees the view's exception first
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# Persistent connections (DB_CONN_MAX_AGE seconds, default 600; 0 = one connection per request) for SQLite too:
# opening a connection and running the PRAGMAs below on every request costs more than the view on a cached page.
# gunicorn sync workers keep one connection per process; runserver closes each request thread's connections when the
# thread ends (django.core.servers.basehttp), so nothing leaks.
# DB_CONN_HEALTH_CHECKS (default: on for PostgreSQL, off for SQLite): on, a reused connection is checked with a
# trivial query at the start of each request — one extra round trip per request (noticeable on a page served from
# the cache without any other query), in exchange for not failing the first request after the database server
# restarted or dropped an idle connection. Turn it off where the database is local and restarts are rare (and set
# DB_CONN_MAX_AGE below the server's idle timeout); a SQLite "connection" is a file handle and never goes stale.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
    )
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool(
    "DB_CONN_HEALTH_CHECKS", DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "portal.auth.LockoutBackend",  # django-axes: refuses a locked-out sign-in before the password is checked
    "rules.permissions.ObjectPermissionBackend",
    "portal.auth.PortalBackend",  # ModelBackend; a request's user, memberships and menus from the cache
]

# --- Sign-in: every setting of it lives here (tests/hardening/test_signin.py checks them) ---------------------------
# Lockout (django-axes): 5 wrong passwords for one user name from one address lock that pair for 15 minutes, on the
# portal's sign-in page and on /admin/ alike; a successful sign-in resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("PORTAL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PORTAL_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/login_locked.html"
AXES_CLIENT_IP_CALLABLE = "portal.intake.origin.client_ip"  # the one home of "the client's address"
AXES_VERBOSE = False
# Sessions: at most 10 hours (a working day), and 30 minutes without any request signs a person out.
SESSION_COOKIE_AGE = 10 * 60 * 60
# Sessions are read on every logged-in request: from the shared cache (Redis, or the database cache table), written
# through to the database, so a cache flush or restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
PORTAL_IDLE_TIMEOUT = int(os.environ.get("PORTAL_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for one hour
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "vi"
# django-filter's empty choice of a select ("---------" by default); a filter names its own ("Tất cả các thôn").
FILTERS_EMPTY_CHOICE_LABEL = "Tất cả"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("PORTAL_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PORTAL_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# Uploads (photos of postings, evidence, comment imports): size limits checked again in forms/services.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PORTAL_MAX_PHOTO_BYTES = 8 * 1024 * 1024
PORTAL_MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Pixels an uploaded image may declare (checked from its header before decoding; also Pillow's own bomb limit).
# 40 million = a 48 MP phone photo in its usual 12 MP mode with room to spare; ~160 MB decoded at most.
PORTAL_MAX_IMAGE_PIXELS = int(os.environ.get("PORTAL_MAX_IMAGE_PIXELS", "40000000"))
PORTAL_MAX_PUBLICATION_BYTES = 20 * 1024 * 1024  # a PDF publicized in the register (Sổ công khai)
# Private files (portal/files.py): nothing serves MEDIA_ROOT; access-checked views hand files out. "django" streams
# them (development); "nginx" answers X-Accel-Redirect to PORTAL_FILE_ACCEL_PREFIX (an `internal` location aliased
# to MEDIA_ROOT); "sendfile" answers X-Sendfile with the absolute path (Apache mod_xsendfile).
PORTAL_FILE_SERVER = os.environ.get("PORTAL_FILE_SERVER", "django")
PORTAL_FILE_ACCEL_PREFIX = os.environ.get("PORTAL_FILE_ACCEL_PREFIX", "/_private/")

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))  # one file per run
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cổng dân chủ cơ sở <no-reply@localhost>")

# django-q2: the ORM broker on the default database, or Redis when REDIS_URL is set.
Q_CLUSTER = {
    "name": "portal",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 3,
    "catch_up": False,
    "orm": "default",
    "poll": 1,
    "save_limit": 500,
    "ack_failures": True,
}
if os.environ.get("REDIS_URL"):
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = os.environ["REDIS_URL"]
if env_bool("Q_SYNC", False):
    Q_CLUSTER["sync"] = True

# One cache shared by every web worker and the task worker (rate limits, the public page cache): the database cache
# on the embedded default (its table is created by `manage.py createcachetable`, run by the start scripts and on
# deploy), Redis when REDIS_URL is set. A per-process LocMemCache let each gunicorn worker count its own comments.
# PORTAL_CACHE=locmem keeps a per-process cache (the test suite, where every test clears it).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
    }
}
if os.environ.get("PORTAL_CACHE") == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "portal.cache.RedisCache",  # Django's, one client per pool
        "LOCATION": os.environ["REDIS_URL"],
    }

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and env_bool("DJANGO_HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): no script at all is needed by the pages; inline style attributes are used.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Portal-specific switches.
PORTAL_SITE_NAME = "Cổng dân chủ cơ sở"
# Ngày Văn hóa Việt Nam (24/11) as a day off from 2026 (Nghị quyết 80-NQ/TW); see portal/workdays.py.
# Per-province numbers for statutory rules (portal/statutes.py ``rule_for``), keyed by the province's unit code:
# {"24": {"dialogue.review": {"days": 7, "legal_source": "Quyết định …/QĐ-UBND tỉnh …"}}}. JSON in the environment.
PORTAL_PROVINCE_RULES = json.loads(os.environ.get("PORTAL_PROVINCE_RULES", "{}") or "{}")
PORTAL_CULTURE_DAY_OFF = env_bool("PORTAL_CULTURE_DAY_OFF", True)
# Public consultation page: seconds an anonymous request may use the cached (public_version, status, dates) of a
# consultation without reading its row; writes delete it on commit (immediate with Redis, within this TTL for other
# processes with the per-process LocMemCache). 0 reads the row on every anonymous request.
PORTAL_PUBLIC_STATE_TTL = float(os.environ.get("PORTAL_PUBLIC_STATE_TTL", "2"))
# Flood control for everything citizens send (not law; the policy is explained in portal/intake/limits.py): rule
# name -> (max accepted submissions, window in seconds), None switches a rule off. Override some in the environment
# as PORTAL_INTAKE_LIMITS="client_burst=3/60,client=30/3600,address=300/3600" (a rule "=off" switches it off).
PORTAL_INTAKE_LIMITS = {
    name: (None if value == "off" else tuple(int(n) for n in value.split("/", 1)))
    for name, value in (
        item.strip().split("=", 1)
        for item in os.environ.get("PORTAL_INTAKE_LIMITS", "").split(",")
        if "=" in item
    )
}
# Texts at least this long (accent-free) count for the per-address "same text" rule; shorter ones never do.
PORTAL_INTAKE_SAME_TEXT_MIN_CHARS = int(os.environ.get("PORTAL_INTAKE_SAME_TEXT_MIN_CHARS", "40"))
# Reverse proxies (their REMOTE_ADDR) whose X-Forwarded-For is believed when finding a client's IP address, e.g.
# PORTAL_TRUSTED_PROXIES=127.0.0.1 behind a local nginx. Empty: X-Forwarded-For is ignored.
PORTAL_TRUSTED_PROXIES = [
    ip.strip() for ip in os.environ.get("PORTAL_TRUSTED_PROXIES", "").split(",") if ip.strip()
]
