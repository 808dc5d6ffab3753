"""Django settings: one module, read from the environment, safe defaults for development."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# DJANGO_ENV=production switches every hardening on; anything else is development or test.
PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    # Development only: a fixed, obviously unsafe key so sessions survive restarts.
    SECRET_KEY = "dev-insecure-" + "x" * 50

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public URL of the service, used in e-mails and share metadata.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "accounts.admin_apps.SecureAdminConfig",  # django.contrib.admin, staff with a second factor only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_email",  # the experts-by-experience panel signs in with a code e-mailed each time
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    # The project's apps, bottom-up: each imports only those above it in this list (import-linter keeps it so).
    "background",
    "practices",
    "accounts",
    "awards",
    "library",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, the first to read a body: an over-large one is refused from its Content-Length.
    "config.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Responses to signed-in users: Cache-Control private, no-store (anonymous public pages cache as they say).
    "config.middleware.PrivateWhenSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Axes must come last: it turns a lockout raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
    # The public copies of anonymous pages (accounts/public_pages.py), behind every other middleware.
    "accounts.public_pages.PublicPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

# PostgreSQL only: the app relies on its constraints, row locks and Finnish full-text search.
_DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lastensuojeluteko"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _DEFAULT_DATABASE_URL),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL.")
# No JIT compilation: the app's queries are short, and compiling the ranking or the library's facet query took
# longer (150-200 ms) than running it. Sorts and hashes of up to 16 MB in memory (PostgreSQL's default is 4 MB):
# the chair's ranking of a large cycle sorts 50,000 reviews, which spilled to disk and took 15 ms more. It is a
# bound per sort or hash of a query, not an allocation: a connection uses it only while a query needs it.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c work_mem=16MB"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.EmailBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sessions: an idle timeout, renewed on every request; the browser forgets the cookie when closed.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # progressive-enhancement scripts read the token from the form, not the cookie
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Brute-force protection (django-axes): lock per account and per address after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
# By the pair: five wrong passwords lock that account from that address only, so a colleague behind the same
# municipal network address still signs in, and the account's owner elsewhere too.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_address"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"  # case-insensitive, as sign-in is
AXES_RESET_ON_SUCCESS = True
# A try during a lockout does not restart the wait, not even with the right password: the lockout ends when it said.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"  # renders accounts/lockout.html with the cool-off in minutes
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Lastensuojeluteko"
# Staff must not read other people's authenticator secrets or QR codes in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Internationalisation: Finnish first, Swedish and English too.
LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, times and numbers per language; English is written the British way (config/formats/en/).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Attachments of nominations: outside MEDIA_ROOT and STATIC_ROOT, served only by a permission-checked view.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest request body with files (config/middleware.py): five attachments of 10 MB and the form around them.
# Larger ones are refused from their Content-Length before they are read; the proxy's client_max_body_size agrees.
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_MB", "55")) * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (Django 6.1 mailers): SMTP in production or whenever EMAIL_HOST is set, the console otherwise; STARTTLS
# on port 587 unless told otherwise in production. Every e-mail goes through the outbox (background/outbox.py).
# Tests get the locmem backend from Django's test set-up.
if PRODUCTION or os.environ.get("EMAIL_HOST"):
    _use_ssl = env_bool("EMAIL_USE_SSL", default=False)
    _DEFAULT_MAILER = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "465" if _use_ssl else "587" if PRODUCTION else "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": not _use_ssl and env_bool("EMAIL_USE_TLS", default=PRODUCTION),
            "use_ssl": _use_ssl,
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "20")),
        },
    }
else:
    _DEFAULT_MAILER = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
MAILERS = {"default": _DEFAULT_MAILER}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Lastensuojeluteko <noreply@lastensuojeluteko.example>")
# Where the public sends accessibility feedback and data-protection requests (shown on the statement pages).
FEEDBACK_EMAIL = os.environ.get("FEEDBACK_EMAIL", "palaute@lastensuojeluteko.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One cache shared by every process in production (page cache, rate limits): Redis at REDIS_URL, e.g.
# redis://redis:6379/0. Without it, each process has its own in-memory cache: fine for one development server.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "lst"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "lastensuojeluteko",
        }
    }

# How many reverse proxies the operator runs in front of the app (nginx: 1). The client's address is then read
# from X-Forwarded-For, that many entries from the right (accounts/network.py); 0 trusts only the connection.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", os.environ.get("API_NUM_PROXIES", "0")) or 0)

# The task queue: rows in our PostgreSQL (django-tasks-db), run by `manage.py worker` (make run starts one).
# TASKS_RUN_AT_ONCE runs a task due now in the process that queued it (the test suite's default).
TASKS = {"default": {"BACKEND": "background.backends.DatabaseBackend", "QUEUES": ["default"]}}
TASKS_RUN_AT_ONCE = env_bool("TASKS_RUN_AT_ONCE", default=False)
# Delivery attempts of an e-mail before it is marked failed, and the pause after the first failure (doubling up
# to the maximum): with the defaults, about eight hours of a mail server away before staff must retry by hand.
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "12"))
OUTBOX_RETRY_BASE_SECONDS = float(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "60"))
OUTBOX_RETRY_MAX_SECONDS = float(os.environ.get("OUTBOX_RETRY_MAX_SECONDS", "3600"))

# Anonymous public pages (accounts/public_pages.py): how long browsers (max-age) and proxies (s-maxage, then
# stale-while-revalidate) may keep them, in seconds. The app's own copy is always current.
PUBLIC_CACHE_MAX_AGE = int(os.environ.get("PUBLIC_CACHE_MAX_AGE", "60"))
PUBLIC_CACHE_S_MAXAGE = int(os.environ.get("PUBLIC_CACHE_S_MAXAGE", "300"))
PUBLIC_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PUBLIC_CACHE_STALE_WHILE_REVALIDATE", "60"))

# Content-Security-Policy: no third-party origins, no inline scripts or styles.
# The Voikko dictionary used for Finnish search (BCP 47 tag); without it search falls back to the snowball stemmer.
VOIKKO_DICTIONARY = os.environ.get("VOIKKO_DICTIONARY", "fi")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON for machines only; people read the one documentation page at /api/v1/docs/ (library/api/views.py).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "library.api.negotiation.JSONOnly",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_RATE", "120/min"),
        # Password reset and account requests (accounts/throttling.py): each sends e-mail.
        "public_form": os.environ.get("PUBLIC_FORM_RATE", "5/hour"),
    },
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    # Every error of the open data API is JSON of one documented shape (library/api/errors.py).
    "EXCEPTION_HANDLER": "library.api.errors.exception_handler",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
    # The client address comes from accounts/network.py (TRUSTED_PROXIES), not from DRF's own reading.
    "NUM_PROXIES": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Kunnallinen lastensuojeluteko – open data API",
    "DESCRIPTION": (
        "Public, read-only data: practices, award years and their results, regions, counties, municipalities. "
        "The same data as downloadable files (CSV, JSON) under CC BY 4.0, with a README of the fields: "
        f"{SITE_URL}/api/v1/opendata/README.md; DCAT-AP metadata (JSON-LD) for data catalogues: "
        f"{SITE_URL}/api/v1/opendata/catalog.jsonld."
    ),
    "EXTERNAL_DOCS": {
        "description": "Open data: DCAT-AP catalogue (JSON-LD) of the downloadable datasets",
        "url": f"{SITE_URL}/api/v1/opendata/catalog.jsonld",
    },
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # lockouts reach the audit log through our signal handler
        # The worker's every look at the queue and every finished task are not news; failures still show.
        "django_tasks_db": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


# The shared schema knows nothing of the library that shows it: the places and practices get their public address
# here, where both are known (Django gives each model a get_absolute_url() from this setting).
def _library_url(name: str, key: str):
    return lambda obj: reverse(f"library:{name}", args=[getattr(obj, key)])


ABSOLUTE_URL_OVERRIDES = {
    "practices.region": _library_url("region_detail", "code"),
    "practices.wellbeingservicescounty": _library_url("county_detail", "code"),
    "practices.municipality": _library_url("municipality_detail", "code"),
    "practices.practice": _library_url("practice_detail", "slug"),
}
