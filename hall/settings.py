"""Settings for the hall portal, read from the environment.

Embedded default (nothing set): SQLite file under var/, Celery on kombu's filesystem broker, DEBUG on.
Production (HALL_ENV=production): PostgreSQL and Redis from DATABASE_URL / REDIS_URL, a strong
SECRET_KEY and real ALLOWED_HOSTS required (see hall/environment.py).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from hall.environment import (
    DEVELOPMENT_SECRET_KEY,
    check_production_settings,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_rate,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HALL_VAR_DIR", str(BASE_DIR / "var")))

# Every setting whose value is one of a fixed set is read with env_choice: a typo stops the start-up.
HALL_ENV = env_choice("HALL_ENV", "development", ("development", "production"))
PRODUCTION = HALL_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The production guard runs at the end of this file, once every setting it judges is read.

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    # Domain apps, in dependency order (an app imports only apps above it; see docs/architecture.md).
    "apps.accounts",
    "apps.uploads",
    "apps.audit",
    "apps.sequences",
    "apps.ops",
    "apps.notifications",
    "apps.citizens",
    "apps.worktime",
    "apps.licences",
    "apps.catalogue",
    "apps.cases",
    "apps.certificates",
    # The flow of people through the hall: appointments, tickets, calling, displays.
    "apps.visits",
    # The front of house, above the domain apps (nothing below imports it).
    "apps.feedback",
    # Supervision (电子监察): figures, cases at risk, anomalies; reads every domain app above.
    "apps.supervision",
    # Role-facing HTML and seeding, on top of the domain apps.
    "apps.guides",
    "apps.desks",
    "apps.portal",
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every error under /api/ as JSON, whatever answered it; then a request holding a NUL byte refused
    # before the session is read or a URL resolved (docs/security.md, "Input that cannot break a page").
    "hall.api_errors.ApiErrorsAsJsonMiddleware",
    "hall.request_guards.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CSP, Permissions-Policy, no-store: after WhiteNoise, so static files keep their own caching.
    "hall.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hall.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Lockout after repeated failed logins; must come last (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hall.urls"
WSGI_APPLICATION = "hall.wsgi.application"
ASGI_APPLICATION = "hall.asgi.application"

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
                "apps.desks.navigation.navigation",
                "apps.portal.elder_mode.elder_mode",
                "apps.portal.inbox.inbox_unread",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hall.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The embedded mode runs web, worker and beat on one file: take the write lock at BEGIN so that
    # concurrent writers queue instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("HALL_TEST_SQLITE_NAME", "") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts, authentication, lockout ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desks:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id first (hall/hashers.py says why and at what cost); older hashes verify and are upgraded.
PASSWORD_HASHERS = [
    "hall.hashers.HallArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("HALL_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        # MLPS 2.0 (GB/T 22239) asks for complexity: at least three of four character classes.
        "NAME": "apps.accounts.password_validation.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env_int("HALL_PASSWORD_MIN_CLASSES", 3)},
    },
    # The demo password, and common words, the hall's words and keyboard walks dressed up (Password123!).
    {"NAME": "apps.accounts.password_validation.CommonPatternValidator"},
]

# MLPS 2.0 conventions; the numbers are configuration (docs/security.md).
AXES_FAILURE_LIMIT = env_int("HALL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HALL_LOGIN_LOCKOUT_MINUTES", 30))
# Two locks (apps/accounts/lockout.py; docs/security.md, "Login abuse"): an account name from one
# address after AXES_FAILURE_LIMIT failures, so that knowing a name is not enough to lock its owner
# out; and an address after HALL_LOGIN_ADDRESS_LIMIT failures across names (password spraying),
# higher because a hall's terminals share one address behind NAT. Rows of every user agent count.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
HALL_LOGIN_ADDRESS_LIMIT = env_int("HALL_LOGIN_ADDRESS_LIMIT", 20)
AXES_HANDLER = "apps.accounts.lockout.LoginLockout"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True  # the name's failures from that address only (LoginLockout)
# Every failed login is kept (axes.AccessFailureLog, read-only in the admin), not deleted by a success.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("HALL_LOCKOUT_ENABLED", True)

# Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For is believed; nobody else's is.
# The audit log, the lockout and the rate limits take the client address from the same function.
HALL_TRUSTED_PROXIES = env_networks("HALL_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "apps.audit.requests.client_ip"

# Idle session timeout: every request renews the session; an idle one expires.
SESSION_COOKIE_AGE = 60 * env_int("HALL_SESSION_IDLE_MINUTES", 30)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [Path(env_str("HALL_LOCALE_DIR", str(BASE_DIR / "locale")))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files (all served locally: halls run on intranets) ---------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves collected files (whitenoise, compressed, hashed names); development and tests
# serve straight from the finders, so no collectstatic is needed there.
STATIC_ROOT = Path(env_str("HALL_STATIC_ROOT", str(BASE_DIR / "staticfiles"))) if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads live outside the web root and are only ever served by permission-checked views.
MEDIA_ROOT = Path(env_str("HALL_MEDIA_ROOT", str(VAR_DIR / "media")))

# --- Security headers -----------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("HALL_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HALL_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("HALL_BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- REST API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hall.api_errors.exception_handler",
    # JSON within limits of size, depth and characters (hall/parsers.py); forms as DRF parses them.
    "DEFAULT_PARSER_CLASSES": [
        "hall.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Public certificate verification, per client address (the page and the API share the count).
    "DEFAULT_THROTTLE_RATES": {
        "verification": env_rate("HALL_VERIFY_RATE", "30/min"),
        # Ratings from one address (a pad, a phone, a QR scan): well above a busy window, far below a script.
        "rating": env_rate("HALL_RATING_RATE", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hall portal API",
    "DESCRIPTION": "One-window government service hall portal (一窗受理).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the local sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "state" with its own choices: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ItemStateEnum": "apps.catalogue.codes.ItemState",
        "BundleStateEnum": "apps.catalogue.models.bundles.BundleState",
        "FilingStateEnum": "apps.cases.codes.FilingState",
        "CaseStateEnum": "apps.cases.codes.CaseState",
        "DecisionOutcomeEnum": "apps.cases.models.Outcome",
        "IssueRequestStateEnum": "apps.certificates.models.RequestState",
        "ApplicantKindEnum": "apps.cases.codes.ApplicantKind",
        "MaterialStatusEnum": "apps.cases.codes.MaterialStatus",
        "HandedInStatusEnum": "apps.cases.api.serializers.HANDED_IN",
        "RatingLevelEnum": "apps.feedback.models.codes.Level",
        "ExerciseLevelEnum": "apps.catalogue.codes.ExerciseLevel",
        "FollowUpMethodEnum": "apps.feedback.models.tickets.FollowUpMethod",
        "DeliveryMethodEnum": "apps.certificates.models.DeliveryMethod",
        "DeviceKindEnum": "apps.visits.models.codes.DeviceKind",
        "TicketSourceEnum": "apps.visits.models.codes.TicketSource",
        "TicketStateEnum": "apps.visits.models.codes.TicketState",
        "AppointmentStateEnum": "apps.visits.models.codes.AppointmentState",
        "PriorityReasonEnum": "apps.visits.models.codes.PriorityReason",
        "CallKindEnum": "apps.visits.models.codes.CallKind",
    },
    # The error answers (400/403/404/409) and the public reads, from the API's rules (hall/api_schema.py);
    # checked against the live server by schemathesis in CI (.ci/schemathesis).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hall.api_schema.document_anonymous_reads",
        "hall.api_schema.document_errors",
    ],
}

# --- Celery ----------------------------------------------------------------------------------------
# With REDIS_URL: Redis broker and result backend (production, CI). Without: kombu's filesystem
# transport and a file result backend, so that a real worker and beat run with no server at all.
CELERY_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # A host name, though the transport ignores it: without one kombu warns at every connection.
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DIR / "queue"),
        "data_folder_out": str(CELERY_DIR / "queue"),
        "processed_folder": str(CELERY_DIR / "processed"),
        "store_processed": False,
        # kombu's default is ./control, i.e. wherever the process was started.
        "control_folder": str(CELERY_DIR / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_DIR / 'results'}"
    for _folder in ("queue", "processed", "results", "control"):
        (CELERY_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("HALL_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("HALL_TASK_SOFT_TIME_LIMIT", 240)
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Logging ----------------------------------------------------------------------------------------
# One console stream for web, worker and beat (Celery leaves logging to this, hall/celery.py): requests,
# warnings and errors, and a line from a periodic job only when it changed something (apps/ops/jobs.py).
HALL_LOG_LEVEL = env_choice("HALL_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
# Beat's "sending due task", the worker's "received" and "succeeded": three lines per job every few
# seconds, whatever it did. Shown at DEBUG only; a failed task is still logged (an error).
_CELERY_CHATTER = "DEBUG" if HALL_LOG_LEVEL == "DEBUG" else "WARNING"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors_without_traceback": {"()": "hall.log_filters.ClientErrorsWithoutTraceback"},
        "identity_numbers_masked": {"()": "hall.log_filters.IdentityNumbersMasked"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_without_traceback", "identity_numbers_masked"],
        }
    },
    "root": {"handlers": ["console"], "level": HALL_LOG_LEVEL},
    "loggers": {
        # Django's default configuration gives "django" a console handler of its own (and an INFO
        # level): each of its records was printed there and again by the root's handler. Here they
        # go to the root's handler only, at the root's level, runserver's access lines included.
        "django": {"handlers": [], "level": "NOTSET", "propagate": True},
        "django.server": {"handlers": [], "level": "NOTSET", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        "celery.beat": {"level": _CELERY_CHATTER},
        "celery.worker.strategy": {"level": _CELERY_CHATTER},
        "celery.app.trace": {"level": _CELERY_CHATTER},
    },
}

# --- Hall-specific ----------------------------------------------------------------------------------
HALL_NAME = env_str("HALL_NAME", "政务服务中心")
# Development only: seed_demo refuses to run in production.
HALL_DEMO_PASSWORD = "Hall#2026demo"  # noqa: S105
HALL_JOB_HISTORY_DAYS = env_int("HALL_JOB_HISTORY_DAYS", 90)
# Days the audit logs are kept before they may be archived and deleted (apps.audit.retention): at
# least 183 (six months), which a start-up check enforces.
HALL_AUDIT_RETENTION_DAYS = env_int("HALL_AUDIT_RETENTION_DAYS", 183)
# --- Uploads (apps/uploads; docs/security.md "Uploads") ---
# Each file at most HALL_UPLOAD_MAX_MB, the files of one request together at most
# HALL_UPLOAD_REQUEST_MAX_MB: counted while the body streams in by the first upload handler, which
# stops storing a file at its limit and refuses unread a body declared larger than all files at
# their limit plus the form fields.
HALL_UPLOAD_MAX_MB = env_int("HALL_UPLOAD_MAX_MB", 20)
HALL_UPLOAD_REQUEST_MAX_MB = env_int("HALL_UPLOAD_REQUEST_MAX_MB", 50)
FILE_UPLOAD_HANDLERS = [
    "apps.uploads.handlers.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Content checks: images by their header (never decoded), archives (.docx, .xlsx, .ofd) by their
# directory (never extracted).
HALL_UPLOAD_MAX_PIXELS = env_int("HALL_UPLOAD_MAX_PIXELS", 40_000_000)
HALL_UPLOAD_MAX_UNPACKED_MB = env_int("HALL_UPLOAD_MAX_UNPACKED_MB", 100)
HALL_UPLOAD_MAX_PACK_RATIO = env_int("HALL_UPLOAD_MAX_PACK_RATIO", 100)
# Form fields and JSON bodies: Django refuses more than this. File content is not counted here (the
# upload handler above caps it).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
# Uploads smaller than this stay in memory while a request is parsed; larger ones are written to a
# temporary file in FILE_UPLOAD_TEMP_DIR (the system's temporary folder when unset).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
FILE_UPLOAD_TEMP_DIR = env_str("HALL_UPLOAD_TEMP_DIR", "") or None
# How often each process checks whether the working-day calendar changed (seconds).
HALL_CALENDAR_CHECK_SECONDS = env_int("HALL_CALENDAR_CHECK_SECONDS", 30)
# Default warning thresholds (working days before the due date) for centres without a policy.
HALL_WARNING_YELLOW_DAYS = env_int("HALL_WARNING_YELLOW_DAYS", 2)
HALL_WARNING_RED_DAYS = env_int("HALL_WARNING_RED_DAYS", 0)
# The portal's public address: printed on notices and certificates and encoded in their QR codes.
HALL_PUBLIC_BASE_URL = env_str("HALL_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# The key of the check codes printed beside certificate numbers (empty: SECRET_KEY). Printed codes
# verify only as long as the key stays the same.
HALL_VERIFICATION_KEY = env_str("HALL_VERIFICATION_KEY", "")

# --- Deadlines, escalation and notifications (督办与消息) ----------------------------------------------
# Working days an escalation waits for the department's supervisors before it goes to the centre's.
HALL_ESCALATE_TO_CENTRE_DAYS = env_int("HALL_ESCALATE_TO_CENTRE_DAYS", 2)
# A 容缺 commitment date passed without the material: "terminate" the filing's cases (with a notice),
# or "escalate" first (a supervisor decides).
HALL_DEFICIENCY_LAPSE = env_choice("HALL_DEFICIENCY_LAPSE", "terminate", ("terminate", "escalate"))
# Working days an applicant has to answer a correction request (补正) before the case is terminated.
HALL_CORRECTION_ANSWER_DAYS = env_int("HALL_CORRECTION_ANSWER_DAYS", 10)
# 电子监察 (apps.supervision.anomalies): the same action by one person on at least this many filings
# within one second is flagged as bulk clicking; a special procedure with no planned end is flagged
# once it has stopped the clock more than this many working days.
HALL_BULK_CLICK_MIN = env_int("HALL_BULK_CLICK_MIN", 5)
HALL_SPECIAL_PROCEDURE_MAX_DAYS = env_int("HALL_SPECIAL_PROCEDURE_MAX_DAYS", 60)
# SMS through a gateway adapter (dotted path; no vendor is built in): the default logs the message.
HALL_SMS_GATEWAY = env_str("HALL_SMS_GATEWAY", "apps.notifications.channels.LoggingSmsGateway")
HALL_SMS_RECORD_FILE = env_str("HALL_SMS_RECORD_FILE", str(VAR_DIR / "sms.jsonl"))
HALL_NOTIFY_MAX_ATTEMPTS = env_int("HALL_NOTIFY_MAX_ATTEMPTS", 8)
# --- Ratings (好差评, apps.feedback) ---------------------------------------------------------------------
# Days a rater may change a rating after first giving it (a re-rating after rectification is extra).
HALL_RATING_CHANGE_DAYS = env_int("HALL_RATING_CHANGE_DAYS", 15)
# Days a printed or texted rating link (QR code, SMS) stays valid after it was made.
HALL_RATING_LINK_DAYS = env_int("HALL_RATING_LINK_DAYS", 365)
# Working days (the hall's calendar) the department has to rectify a bad rating.
HALL_RECTIFICATION_DAYS = env_int("HALL_RECTIFICATION_DAYS", 15)
# Seconds the window's evaluation pad shows an act after it was finished (then nothing personal).
HALL_PAD_SHOW_SECONDS = env_int("HALL_PAD_SHOW_SECONDS", 60)
# --- The hall's flow (apps.visits): appointments, tickets, calling ---------------------------------------
# Minutes one appointment slot lasts (slots are cut from the centre's opening periods).
HALL_SLOT_MINUTES = env_int("HALL_SLOT_MINUTES", 30)
# Working days ahead that can be booked (today included).
HALL_BOOKING_DAYS = env_int("HALL_BOOKING_DAYS", 7)
# Hours before its slot starts after which a booking can no longer be cancelled online.
HALL_BOOKING_CANCEL_HOURS = env_int("HALL_BOOKING_CANCEL_HOURS", 2)
# N no-shows within M days suspend online booking for K days (爽约).
HALL_NO_SHOW_LIMIT = env_int("HALL_NO_SHOW_LIMIT", 3)
HALL_NO_SHOW_WINDOW_DAYS = env_int("HALL_NO_SHOW_WINDOW_DAYS", 30)
HALL_NO_SHOW_SUSPEND_DAYS = env_int("HALL_NO_SHOW_SUSPEND_DAYS", 30)
# Minutes before and after its slot in which an appointment's ticket goes first (预约优先).
HALL_APPOINTMENT_GRACE_MINUTES = env_int("HALL_APPOINTMENT_GRACE_MINUTES", 15)
# Age from which a ticket taken with a resident ID goes first (from the ID's birth date).
HALL_PRIORITY_AGE = env_int("HALL_PRIORITY_AGE", 70)
# Minutes a skipped ticket (过号) can still be recalled to a window.
HALL_SKIP_RECALL_MINUTES = env_int("HALL_SKIP_RECALL_MINUTES", 30)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@hall.invalid")

# --- Production guard (hall/environment.py; docs/security.md, "Headers and the production guard") -----
if PRODUCTION:
    check_production_settings(
        secret_key=SECRET_KEY,
        allowed_hosts=ALLOWED_HOSTS,
        debug=DEBUG,
        verification_key=HALL_VERIFICATION_KEY,
        demo_password=HALL_DEMO_PASSWORD,
        lockout_enabled=AXES_ENABLED,
        password_validators=AUTH_PASSWORD_VALIDATORS,
    )
