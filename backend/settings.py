"""Settings for the whole project, driven by environment variables.

The embedded default (no variables set) runs on SQLite under var/ with eager Celery
and console e-mail. Production (DJANGO_DEBUG off) must be told SECRET_KEY, ALLOWED_HOSTS
and DATABASE_URL, or it refuses to start.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from backend.database_settings import databases_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def required(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG is off.")
    return value


TESTING = "pytest" in sys.modules or env_bool("DJANGO_TESTING", False)
DEBUG = env_bool("DJANGO_DEBUG", False)
# Demo mode seeds demo accounts and relaxes MFA; it is on for `make run` (DEBUG) only.
DEMO_MODE = env_bool("DJANGO_DEMO_MODE", DEBUG)

if DEBUG or TESTING:
    SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
    DATABASES = databases_from_env(os.environ, default_url=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
                                   conn_max_age=0)
else:
    SECRET_KEY = required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or []
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
    # Persistent connections unless DATABASE_POOL_MAX or DATABASE_PGBOUNCER choose a pooler
    # (backend/database_settings.py, decision 0073).
    DATABASES = databases_from_env(os.environ, default_url=None, conn_max_age=60,
                                   conn_health_checks=True)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE",
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Read-only report and export queries may go to a replica (DATABASE_REPLICA_URL, built with the
# rest by backend/database_settings.py; backend/db.py, decision 0072). Tests run without one
# (they lend the default connection to the alias when they need it).
if TESTING:
    DATABASES.pop("replica", None)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "csp",  # its system checks (settings format)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "allauth.usersessions",
    "backend.accounts",
    "backend.audit",
    "backend.jobs",
    "backend.notifications",
    "courses",
    "assessments",
    "certificates",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so static files get the headers too (docs/decisions/0041).
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "backend.security.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Not Django's LocaleMiddleware: pages ignore Accept-Language (decision 0050); it reads no
    # session, so the input checks below still come before anything touches the database.
    "backend.accounts.middleware.SiteLanguageMiddleware",
    "backend.api.middleware.RefuseUnsafeInputMiddleware",  # NUL, deep JSON: 400 in the language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, with request.user from the auth cache (decision 0069).
    "backend.accounts.session_user.CachedUserAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "backend.accounts.middleware.UserLanguageMiddleware",  # a signed-in person's saved language
    "backend.accounts.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # frontend/templates first, so its allauth layout overrides allauth's own.
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.site",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:  # hashing strength is not under test; speed is
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Language and time ---------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Our own catalog first; then Vietnamese for allauth and DRF, which ship none (or ~21 strings).
# Our catalogue first; third-party messages (allauth, DRF) that ship no Vietnamese live in
# locale/vendor, a folder makemessages never writes to (no source file lies under it).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy, HH:MM dd/mm/yyyy and a decimal comma in Vietnamese (backend/formats/vi). The thousand
# separator stays off by default: `{{ id }}` in a URL must never become "1.234"; templates ask for
# it where a count is shown (`|floatformat:"g"`, `|intcomma`).
FORMAT_MODULE_PATH = ["backend.formats"]
USE_THOUSAND_SEPARATOR = False

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": env("DEFAULT_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if (DEBUG or TESTING)
        else "backend.staticfiles.SqueezedManifestStaticFilesStorage"  # whitenoise, our CSS/JS squeezed
    },
}
NODE_MODULES_DIR = BASE_DIR / "frontend" / "node_modules"
# Nothing under MEDIA_ROOT is served as such: lesson files, videos and certificate PDFs go through
# views that check who asks (backend/private_media.py, decision 0042). In production the web server
# can send the bytes: `nginx` answers with X-Accel-Redirect to PRIVATE_MEDIA_ACCEL_PREFIX + the
# name (an `internal` location aliased to MEDIA_ROOT), `apache` with X-Sendfile (mod_xsendfile).
PRIVATE_MEDIA_ACCEL = (env("PRIVATE_MEDIA_ACCEL", "none") or "none").lower()
if PRIVATE_MEDIA_ACCEL not in ("none", "nginx", "apache"):
    raise ImproperlyConfigured("PRIVATE_MEDIA_ACCEL must be none, nginx or apache.")
PRIVATE_MEDIA_ACCEL_PREFIX = env("PRIVATE_MEDIA_ACCEL_PREFIX", "/protected-media/")

# --- E-mail ------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "TTĐN e-learning <no-reply@localhost>")
SITE_NAME = env("SITE_NAME", "Bồi dưỡng Thông tin đối ngoại")
# Absolute base for links in e-mails and QR codes (no request at hand in Celery tasks).
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or env("REDIS_URL")
# Tests run tasks eagerly unless a test starts a real worker (tests/test_celery_redis.py).
CELERY_TASK_ALWAYS_EAGER = (
    CELERY_BROKER_URL is None or TESTING or env_bool("CELERY_TASK_ALWAYS_EAGER", False)
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL and CELERY_BROKER_URL.startswith("redis") else None
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Redis redelivers a message that was taken but never acknowledged (acks_late: the worker died)
# after `visibility_timeout`. It must outlast the longest task and the longest retry countdown,
# or healthy work is delivered twice: a user import of the largest file (USER_IMPORT_MAX_BYTES,
# one task, minutes), a bulk-issue chunk (seconds), certificate retries (countdown up to 600 s).
# 30 minutes leaves room; a crashed job does not wait for it: the stale-job sweep below resumes
# it after JOBS_STALE_AFTER_SECONDS. (RabbitMQ ignores this; its consumer_timeout plays the part.)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT_SECONDS", "1800")),
}
CELERY_BEAT_SCHEDULE: dict = {}
# --- Jobs (backend/jobs): recovery after a worker crash (decision 0043) ------------------------
# A job with no progress for this long has lost its worker; longer than the longest chunk (an
# import chunk of USER_IMPORT_CHUNK_ROWS rows takes about a second, a bulk-issue chunk of 100
# PDFs a few seconds). After JOBS_MAX_ATTEMPTS runs it fails, with the reason shown to its starter.
JOBS_STALE_AFTER_SECONDS = int(env("JOBS_STALE_AFTER_SECONDS", "300"))
JOBS_MAX_ATTEMPTS = int(env("JOBS_MAX_ATTEMPTS", "3"))
CELERY_BEAT_SCHEDULE["jobs-sweep-stale"] = {
    "task": "jobs.sweep_stale",
    "schedule": float(env("JOBS_SWEEP_SECONDS", "60")),
}

# --- Notifications (backend/notifications, decision 0062) ---------------------------------------
def _offsets(name: str, default: str) -> tuple[int, ...]:
    return tuple(sorted({int(v) for v in (env(name, default) or "").split(",") if v.strip()},
                        reverse=True))


# Days before a course's due date to remind (one reminder per offset; the nearest one only when
# the job first sees an enrolment already inside a nearer offset).
NOTIFICATIONS_COURSE_DUE_DAYS = _offsets("NOTIFICATIONS_COURSE_DUE_DAYS", "7,1")
# Hours before a quiz closes to remind those who have not attempted it.
NOTIFICATIONS_QUIZ_CLOSING_HOURS = _offsets("NOTIFICATIONS_QUIZ_CLOSING_HOURS", "24")
# Days before a certificate expires to remind its holder (with the way to renew).
NOTIFICATIONS_CERTIFICATE_EXPIRY_DAYS = _offsets("NOTIFICATIONS_CERTIFICATE_EXPIRY_DAYS", "30,7")
# Events older than this (a quiz that opened, a due date passed, a certificate expired) are not
# announced when the job first sees them: turning the feature on does not mail years of history.
NOTIFICATIONS_LOOKBACK_DAYS = int(env("NOTIFICATIONS_LOOKBACK_DAYS", "7"))
NOTIFICATIONS_DIGEST_HOUR = int(env("NOTIFICATIONS_DIGEST_HOUR", "7"))  # local time, daily digest
NOTIFICATIONS_OVERDUE_DIGEST_WEEKDAY = int(env("NOTIFICATIONS_OVERDUE_DIGEST_WEEKDAY", "0"))  # Mon
NOTIFICATIONS_MAX_ATTEMPTS = int(env("NOTIFICATIONS_MAX_ATTEMPTS", "6"))
NOTIFICATIONS_RETRY_MAX_SECONDS = int(env("NOTIFICATIONS_RETRY_MAX_SECONDS", "3600"))
NOTIFICATIONS_CLAIM_SECONDS = int(env("NOTIFICATIONS_CLAIM_SECONDS", "600"))
NOTIFICATIONS_CHUNK = int(env("NOTIFICATIONS_CHUNK", "2000"))
CELERY_BEAT_SCHEDULE["notifications-run"] = {
    "task": "notifications.run",
    "schedule": float(env("NOTIFICATIONS_RUN_SECONDS", "900")),
}

# --- Caches (rate limits, auth facts, sessions) -------------------------------------------
if env("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "backend.redis_cache.RedisCache",
                          "LOCATION": env("CACHE_URL"),
                          # Several sites (or bench runs) may share one Redis.
                          "KEY_PREFIX": env("CACHE_KEY_PREFIX", "")}}
    # Sessions (the API's session tokens too) read from the cache, written through to the
    # database, so a request costs no session query on a warm cache.
    SESSION_ENGINE = env("SESSION_ENGINE", "django.contrib.sessions.backends.cached_db")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = env("SESSION_ENGINE", "django.contrib.sessions.backends.db")
# How long a user's auth facts (row, unit, roles, TOTP) are cached, in seconds (decision 0069).
# Off (0) without a shared cache: a per-process memory cache cannot be invalidated in the other
# workers. Tests run with it on, so they prove every invalidation.
AUTH_CACHE_SECONDS = int(env("AUTH_CACHE_SECONDS", "300" if env("CACHE_URL") or TESTING else "0"))

# --- django-allauth ----------------------------------------------------------------------
ACCOUNT_ADAPTER = "backend.accounts.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "backend.accounts.adapters.user_display"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_ALLOW_SIGNUP = env_bool("ACCOUNT_ALLOW_SIGNUP", False)
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Failed sign-ins: per address, and per account *from one address* (backend/accounts/
    # login_limits.py: someone else's failures never lock the owner out) ...
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    # ... and per account from all addresses: the bound on distributed guessing. At it, only
    # password + TOTP (or a password reset) gets in.
    "login_failed_account": env("LOGIN_FAILED_ACCOUNT_RATE_LIMIT", "100/h/key"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Proxies in front of the app that append to X-Forwarded-For (1 behind one nginx). Without it,
# every visitor has the proxy's address and the per-address limits above become one shared limit.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Roles that must have TOTP before they can use the site. Relaxed in demo mode only.
MFA_REQUIRED_ROLES = env_list(
    "MFA_REQUIRED_ROLES", "" if DEMO_MODE else "trainer,administrator"
)
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_ONLY = False
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_FRONTEND_URLS = {
    "account_reset_password_from_key": SITE_URL + "/accounts/password/reset/key/{key}/",
}

# --- REST framework ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "backend.api.authentication.SessionTokenAuthentication",
        "backend.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "backend.api.pagination.Pagination",
    # Our JSON parser refuses NUL, out-of-range numbers, deep nesting and non-object bodies (400).
    "DEFAULT_PARSER_CLASSES": ["backend.api.parsers.JSONParser", "backend.api.parsers.FormParser",
                               "backend.api.parsers.MultiPartParser"],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "backend.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "backend.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_THROTTLE_RATES": {"verify": env("VERIFY_RATE_LIMIT", "60/min"),
                               "anon": "120/min"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TTĐN e-learning API",
    "DESCRIPTION": "REST API of the foreign-information training platform. Authenticate with "
    "the allauth headless app client (POST /_allauth/app/v1/auth/login) and send the "
    "session token as X-Session-Token.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# --- Product limits ------------------------------------------------------------------------
USER_IMPORT_MAX_BYTES = int(env("USER_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Security ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
SPECTACULAR_SETTINGS.update({
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our static files, never from a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
})
INSTALLED_APPS.append("drf_spectacular_sidecar")

# --- Fonts (Vietnamese PDFs) --------------------------------------------------------------
# DejaVu comes from the npm package dejavu-fonts-ttf (installed by make); Debian's
# fonts-dejavu-core / fonts-noto-core are accepted too.
PDF_FONT_DIRS = [Path(p) for p in env_list("PDF_FONT_DIRS")] or [
    NODE_MODULES_DIR / "dejavu-fonts-ttf" / "ttf",
    Path("/usr/share/fonts/truetype/dejavu"),
]

# --- H5P (courses/h5p/) ---------------------------------------------------------------------
# Packages are unpacked under H5P_ROOT: libraries/<Name>-<maj>.<min>.<patch>-<digest>/ one per
# distinct bytes (shared only by content that brought the same bytes), content/<key>/ per
# upload. Unset H5P_ROOT means MEDIA_ROOT/h5p (read at call time, so tests
# that move MEDIA_ROOT move it too).
H5P_ROOT = env("H5P_ROOT") or None
# The newest H5P core API the bundled player plays: h5p-standalone 3.8.2 carries core JS with
# H5P.Tooltip (core 1.26) but not core 1.27's h5p-table styles. Libraries needing more are refused.
H5P_PLAYER_CORE_API = tuple(int(p) for p in (env("H5P_PLAYER_CORE_API", "1.26") or "1.26").split(".")[:2])
H5P_MAX_UPLOAD_MB = int(env("H5P_MAX_UPLOAD_MB", "200"))
H5P_MAX_UNPACKED_MB = int(env("H5P_MAX_UNPACKED_MB", "500"))
H5P_MAX_FILES = int(env("H5P_MAX_FILES", "5000"))
H5P_SEMANTICS_TIMEOUT_SECONDS = float(env("H5P_SEMANTICS_TIMEOUT_SECONDS", "5"))
# The app (models, services, REST) and where the player and the package files are served.
INSTALLED_APPS.append("courses.h5p")
# The sandboxed player frame and every file it loads are served under this prefix
# (frontend/urls_h5p.py), authorised by a grant in the path, not by the session. A path means
# this site; an absolute URL on another origin (production: e.g. https://h5p.example.vn/h5p-content/)
# keeps the site's cookies away from H5P code entirely (docs/h5p.md, decision 0040).
H5P_CONTENT_URL = env("H5P_CONTENT_URL", "/h5p-content/")
if not H5P_CONTENT_URL.endswith("/"):
    H5P_CONTENT_URL += "/"
# How long a player grant (the token in those URLs) lasts, in seconds.
H5P_GRANT_SECONDS = int(env("H5P_GRANT_SECONDS", str(4 * 3600)))
# The player itself comes from npm (frontend/node_modules/h5p-standalone/dist), never a copy.
STATICFILES_DIRS = [*globals().get("STATICFILES_DIRS", []),
                    ("vendor/h5p-standalone", NODE_MODULES_DIR / "h5p-standalone" / "dist")]
# How often (seconds) the player saves a learner's state for resume; 0 turns resume off.
H5P_SAVE_FREQ_SECONDS = int(env("H5P_SAVE_FREQ_SECONDS", "10"))
H5P_STATE_MAX_BYTES = int(env("H5P_STATE_MAX_BYTES", str(256 * 1024)))
H5P_XAPI_BATCH_MAX = int(env("H5P_XAPI_BATCH_MAX", "50"))  # statements per POST

# --- SCORM (courses/scorm/) -----------------------------------------------------------------
# Packages are unpacked under SCORM_ROOT/<package_key>/, one folder per upload, never rewritten.
# Unset SCORM_ROOT means MEDIA_ROOT/scorm (read at call time, as for H5P).
SCORM_ROOT = env("SCORM_ROOT") or None
SCORM_MAX_UPLOAD_MB = int(env("SCORM_MAX_UPLOAD_MB", "500"))
SCORM_MAX_UNPACKED_MB = int(env("SCORM_MAX_UNPACKED_MB", "1500"))
SCORM_MAX_FILES = int(env("SCORM_MAX_FILES", "20000"))
INSTALLED_APPS.append("courses.scorm")
# The sandboxed runtime frame and every package file are served under this prefix, authorised by
# a grant in the path, never by the session; an absolute URL on another origin is the production
# setting (docs/scorm.md, decision 0040), exactly as H5P_CONTENT_URL.
SCORM_CONTENT_URL = env("SCORM_CONTENT_URL", "/scorm-content/")
if not SCORM_CONTENT_URL.endswith("/"):
    SCORM_CONTENT_URL += "/"
SCORM_GRANT_SECONDS = int(env("SCORM_GRANT_SECONDS", str(4 * 3600)))
# The runtime (SCORM 1.2 and 2004 API objects) comes from npm (scorm-again), never a copy.
STATICFILES_DIRS = [*STATICFILES_DIRS, ("vendor/scorm-again", NODE_MODULES_DIR / "scorm-again" / "dist")]
# Largest suspend_data / whole CMI commit accepted (SCORM 2004 4th allows 64 000 characters).
SCORM_SUSPEND_DATA_MAX = int(env("SCORM_SUSPEND_DATA_MAX", "64000"))
SCORM_COMMIT_MAX_BYTES = int(env("SCORM_COMMIT_MAX_BYTES", str(1024 * 1024)))

# --- Courses: lesson files ------------------------------------------------------------------
COURSES_FILE_MAX_BYTES = int(env("COURSES_FILE_MAX_BYTES", str(50 * 1024 * 1024)))
COURSES_FILE_EXTENSIONS = frozenset(env_list(
    "COURSES_FILE_EXTENSIONS", "pdf,docx,doc,xlsx,xls,pptx,ppt,odt,ods,odp,txt,csv,zip,png,jpg,jpeg"))
COURSES_VIDEO_MAX_BYTES = int(env("COURSES_VIDEO_MAX_BYTES", str(500 * 1024 * 1024)))
COURSES_VIDEO_EXTENSIONS = frozenset(env_list("COURSES_VIDEO_EXTENSIONS", "mp4,webm,m4v,ogv"))

# --- Benchmarks (tests/bench, `make bench`) ------------------------------------------------
# BENCH_ENDPOINTS adds the bare baseline endpoints under /bench/ and allows `bench_seed`.
# Every bench client logs in from 127.0.0.1, so it also lifts the per-IP login rate limit.
# Never set it in production.
BENCH_ENDPOINTS = env_bool("BENCH_ENDPOINTS", False)
if BENCH_ENDPOINTS:
    ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "100000/m/ip"}

# --- Administration pages: CSV user import job ------------------------------------------------
# Valid rows are written this many per transaction; the job's progress advances per chunk.
USER_IMPORT_CHUNK_ROWS = int(env("USER_IMPORT_CHUNK_ROWS", "500"))
# More rows than this and POST /api/v1/users/import/ runs as a job (202) even without ?async=true:
# a request must never outlive the worker timeout (it would die after writing part of the file).
USER_IMPORT_SYNC_MAX_ROWS = int(env("USER_IMPORT_SYNC_MAX_ROWS", "5000"))

# --- Frontend: trainer authoring pages (frontend/views/authoring*.py) ----------------------
# Browser libraries from npm (frontend/package.json), served as static files: from node_modules
# in development, collected and fingerprinted by whitenoise in production. Appended to whatever
# other blocks registered, so each area can add its own entries.
STATICFILES_DIRS = [
    *globals().get("STATICFILES_DIRS", []),
    ("vendor/sortablejs", NODE_MODULES_DIR / "sortablejs"),
    ("vendor/quill", NODE_MODULES_DIR / "quill" / "dist"),
    ("vendor/chartjs", NODE_MODULES_DIR / "chart.js" / "dist"),
]

# --- Assessments (quizzes) --------------------------------------------------------------------
# Autosaves and submits are accepted up to this long after an attempt's deadline (a slow link's
# last save in flight); later ones are refused and the attempt is graded with what was saved.
ASSESSMENTS_DEADLINE_GRACE_SECONDS = int(env("ASSESSMENTS_DEADLINE_GRACE_SECONDS", "15"))
ASSESSMENTS_IMPORT_MAX_BYTES = int(env("ASSESSMENTS_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
CELERY_BEAT_SCHEDULE["assessments-finish-overdue-attempts"] = {
    "task": "assessments.finish_overdue_attempts",
    "schedule": float(env("ASSESSMENTS_OVERDUE_SWEEP_SECONDS", "60")),
}
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})["ReviewWhenEnum"] = "assessments.models.ReviewWhen"
# Quizzes and H5P lessons both offer a grading method; name the two enums apart in the schema.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "QuizGradingMethodEnum": ["highest", "last", "average", "first"],
    "H5PGradingMethodEnum": "courses.h5p.models.GradingMethod",
})
# A course's completion rule and a SCORM lesson's are two choice sets on fields of one name; the
# course's keeps the name it had before SCORM lessons existed, so API clients see no rename.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "CompletionRuleEnum": "courses.models.CompletionRule",
    "ScormCompletionRuleEnum": "courses.scorm.models.CompletionRule",
})

# --- Certificates -------------------------------------------------------------------------
# E-mail the holder when a certificate is issued (a link, not the PDF, unless ATTACH_PDF).
CERTIFICATES_EMAIL_ON_ISSUE = env_bool("CERTIFICATES_EMAIL_ON_ISSUE", True)
CERTIFICATES_EMAIL_ATTACH_PDF = env_bool("CERTIFICATES_EMAIL_ATTACH_PDF", False)
# Certificates per bulk-issue chunk (one transaction and one Celery task each).
CERTIFICATES_BULK_CHUNK = int(env("CERTIFICATES_BULK_CHUNK", "100"))
# Signed Open Badges credentials (docs/certificates.md): Ed25519 private keys as PEM
# files, one per key id (the file name); never in the database, never committed. The active key
# signs; every key in the directory (also public-only `<id>.pub.pem`) stays published.
CREDENTIALS_KEYS_DIR = Path(env("CREDENTIALS_KEYS_DIR", str(VAR_DIR / "keys" / "credentials")))
CREDENTIALS_ACTIVE_KEY = env("CREDENTIALS_ACTIVE_KEY", "") or ""
# While developing (and in tests) a missing key is generated on first use; production refuses.
CREDENTIALS_DEMO_KEY = env_bool("CREDENTIALS_DEMO_KEY", DEBUG or TESTING)
# "Verify this file" (/verify/file/): the largest PDF and credential (JSON) a verifier may drop;
# anything larger is refused (413) without being read further. Held in memory, never stored.
CERTIFICATES_VERIFY_FILE_MAX_PDF_BYTES = int(env("CERTIFICATES_VERIFY_FILE_MAX_PDF_BYTES",
                                                 str(10 * 1024 * 1024)))
CERTIFICATES_VERIFY_FILE_MAX_JSON_BYTES = int(env("CERTIFICATES_VERIFY_FILE_MAX_JSON_BYTES",
                                                  str(1024 * 1024)))
# PAdES signatures on certificate PDFs (certificates/pades/, decision 0067). Every PDF is signed
# unless CERTIFICATES_SIGN_PDFS is turned off. CERTIFICATES_SIGNING_DIR holds default/ and
# optional <unit code>/ folders with key.pem, cert.pem, chain.pem (never committed, never in the
# database); the demo (DEBUG and tests) makes a self-signed demo CA there on first use.
CERTIFICATES_SIGN_PDFS = env_bool("CERTIFICATES_SIGN_PDFS", True)
CERTIFICATES_SIGNING_DIR = Path(env("CERTIFICATES_SIGNING_DIR", str(VAR_DIR / "signing")))
CERTIFICATES_SIGNING_KEY_PASSWORD = env("CERTIFICATES_SIGNING_KEY_PASSWORD", "")
CERTIFICATES_SIGNING_DEMO = env_bool("CERTIFICATES_SIGNING_DEMO", DEBUG or TESTING)
# CA certificates (PEM files) whose signatures the "verify this file" checker trusts.
CERTIFICATES_TRUST_ROOTS = env_list("CERTIFICATES_TRUST_ROOTS")
# RFC 3161 timestamp authority: when set, signatures are PAdES B-LT (timestamp + DSS).
CERTIFICATES_TSA_URL = env("CERTIFICATES_TSA_URL", "")
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update({
    "CertificateStatusEnum": ["valid", "revoked", "superseded", "expired"],
    "RenewalRuleEnum": "certificates.models.RenewalRule",
})
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "FileVerdictOutcomeEnum": "certificates.verdicts.Outcome",
    "FileVerdictKindEnum": "certificates.verdicts.FileKind",
})

# --- Frontend: error pages (frontend/views/errors.py) ---------------------------------------
# A form sent from a page left open too long gets the site's translated page, not Django's.
CSRF_FAILURE_VIEW = "frontend.views.errors.csrf_failure"

# --- Security headers (backend/security/, docs/decisions/0041-security-headers.md) ------------
# Content-Security-Policy (django-csp): our scripts and <style> blocks run by a per-response nonce
# (`nonce="{{ request.csp_nonce }}"`), never by 'self' (H5P packages put uploaded JavaScript under
# H5P_CONTENT_URL, which may be this origin); no inline event handlers, no eval, no style=
# attributes. Images and videos may come from any https host (authored lessons link them).
# frame-src allows the H5P and SCORM content origins: 'self' while their URLs are paths.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

from backend.security.origins import csp_sources, permissions_origins  # noqa: E402

_STATIC_SOURCES = csp_sources(STATIC_URL)
_FILE_SOURCES = csp_sources(STATIC_URL, MEDIA_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [NONCE],
        "style-src": [*_STATIC_SOURCES, NONCE],
        "img-src": [SELF, *_FILE_SOURCES, "data:", "https:"],
        "media-src": [SELF, *_FILE_SOURCES, "https:"],
        "font-src": [SELF, *_STATIC_SOURCES],
        "connect-src": [SELF],
        "frame-src": csp_sources(H5P_CONTENT_URL, SCORM_CONTENT_URL),
        "worker-src": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"report-uri": [env("CSP_REPORT_URL")]} if env("CSP_REPORT_URL") else {}),
    },
}
# Pages whose markup is not ours get a scoped policy: (path regex, directives replaced).
CONTENT_SECURITY_POLICY_SCOPES = [
    # Django admin's templates load admin/js/*.js without a nonce; staff only, no authored HTML.
    (r"^/admin/", {"script-src": [SELF, NONCE]}),
]
# Permissions-Policy (django-permissions-policy): every powerful feature off, fullscreen for this
# site and the H5P content origin (H5P content goes fullscreen from its iframe).
PERMISSIONS_POLICY = {
    feature: [] for feature in (
        "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture",
        "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection", "local-fonts",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking")
}
PERMISSIONS_POLICY["fullscreen"] = permissions_origins("/", H5P_CONTENT_URL, SCORM_CONTENT_URL)
# Where to report a vulnerability, published at /.well-known/security.txt (RFC 9116): a mailto:
# or https: URI. The default is security@ the site's own domain: create that mailbox, or set this.
SECURITY_CONTACT = env("SECURITY_CONTACT") or "mailto:security@" + (
    (urlsplit(SITE_URL).hostname or "localhost").removeprefix("www."))
# Django's default, stated: a page opened from ours cannot reach back through window.opener.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
