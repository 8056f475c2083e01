"""Learnward's one settings module.

Everything comes from environment variables (``LEARNWARD_*`` and ``DATABASE_URL``) with safe
defaults for development. ``LEARNWARD_ENV=production`` refuses to start without a secret key and
allowed hosts, and turns on every transport-security setting that ``check --deploy`` asks for.
docs/configuration.md documents every variable.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


LEARNWARD_ENV = env("LEARNWARD_ENV", "development")
if LEARNWARD_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("LEARNWARD_ENV must be development, production or test")
PRODUCTION = LEARNWARD_ENV == "production"
TESTING = LEARNWARD_ENV == "test" or "pytest" in sys.modules

DATA_DIR = Path(env("LEARNWARD_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
BASE_URL = env("LEARNWARD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

SECRET_KEY = env("LEARNWARD_SECRET_KEY")
ALLOWED_HOSTS = env_list("LEARNWARD_ALLOWED_HOSTS")
# A production secret key: at least 50 characters, at least 10 different ones (Django's own check
# asks for 5, which "abcde" * 12 meets; a random hex key of 50 characters has about 15), not one
# short string repeated, and not a key Django marks as insecure.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 10


def weak_secret_key(key: str) -> bool:
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_DISTINCT
        or key in (key + key)[1:-1]  # a shorter string repeated
        or key.startswith("django-insecure")
    )


# "*" (any host) in production only with this override, for a proxy that checks Host itself.
ALLOW_ANY_HOST = env_bool("LEARNWARD_ALLOW_ANY_HOST", False)
if PRODUCTION:
    if weak_secret_key(SECRET_KEY):
        raise ImproperlyConfigured(
            "LEARNWARD_SECRET_KEY must be set to a random value of at least 50 characters, with "
            "at least 10 different ones and no repeated pattern, in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "LEARNWARD_ALLOWED_HOSTS must name this site's hosts in production"
        )
    if "*" in ALLOWED_HOSTS and not ALLOW_ANY_HOST:
        raise ImproperlyConfigured(
            "LEARNWARD_ALLOWED_HOSTS must name this site's hosts in production, not '*' (any "
            "host): set LEARNWARD_ALLOW_ANY_HOST=true only if a proxy in front checks the Host"
        )
    if not BASE_URL.startswith("https://"):
        raise ImproperlyConfigured("LEARNWARD_BASE_URL must be an https:// origin in production")
else:
    SECRET_KEY = SECRET_KEY or "development-only-not-secret-" + "x" * 40
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]

DEBUG = env_bool("LEARNWARD_DEBUG", default=not PRODUCTION and not TESTING)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("LEARNWARD_DEBUG cannot be on in production")

INSTALLED_APPS = [
    # The admin, on a site that asks for a two-factor-verified session (learnward.accounts).
    "learnward.accounts.admin_apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # django-ninja as an app: /api/v1/docs then serves Swagger UI from its static files (no CDN,
    # no inline script), so the page works under the site's Content Security Policy.
    "ninja",
    "learnward.core",
    "learnward.privacy.registry",
    "learnward.audit",
    "learnward.privacy.consent",
    "learnward.privacy.rights",
    "learnward.privacy.retention",
    "learnward.privacy.records",
    # Holds the migrations that created the tables above before they moved; no models of its own.
    "learnward.privacy",
    "learnward.accounts",
    "learnward.communications",
    "learnward.notifications",
    "learnward.catalog",
    "learnward.learning",
    "learnward.assessments",
    "learnward.certificates",
    "learnward.commerce",
    "learnward.support",
    "learnward.evaluations",
    "learnward.ai",
    "learnward.cpd",
    "learnward.insights",
    "learnward.organisations",
    "learnward.integrations",
    "learnward.community",
    "learnward.recommendations",
    "learnward.sso",
    "learnward.lti",
    "learnward.operations",
    # Last, so their demo data finds the learners the apps above made (the insights cohort).
    "learnward.classes",
    "learnward.exams",
    "learnward.packages",
    "learnward.media",
    "learnward.transfer",
    # After media: its demo writes the lessons the studio's demo then drafts from.
    "learnward.studio",
]

MIDDLEWARE = [
    # /healthz and /readyz are answered here, before everything else (learnward.core.health).
    "learnward.core.health.HealthCheckMiddleware",
    # One JSON line per request, with a request id and no personal data (learnward.core.requestlog).
    "learnward.core.requestlog.RequestLogMiddleware",
    # Behind a trusted proxy, the client's address from X-Forwarded-For (learnward.core.proxy).
    "learnward.core.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Routes in STATELESS_PATH_PREFIXES (the public verification API) are answered here, with only
    # CommonMiddleware's host check around the view: no sessions, CSRF, messages... (core.stateless).
    "learnward.core.stateless.StatelessRoutesMiddleware",
    # Static files with hashed names and long cache headers, compressed (after `learnward deploy`).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # An unprefixed page asked for by someone who reads Dutch or French: the same page in their
    # language (their saved language, the switcher's cookie, or Accept-Language; core.i18n).
    "learnward.core.i18n.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "learnward.accounts.middleware.AccountStatusMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Public, stateless JSON routes that skip the middleware after StatelessRoutesMiddleware.
STATELESS_PATH_PREFIXES = ["/api/v1/certificates/"]

ROOT_URLCONF = "learnward.urls"
WSGI_APPLICATION = "learnward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE and LANGUAGES for <html lang> and the language switcher.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learnward.core.context_processors.site",
            ],
            # {% url %} that remembers argument-free links per process (core.templatetags.url_memo).
            "builtins": ["learnward.core.templatetags.url_memo"],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# SQLite (WAL, BEGIN IMMEDIATE so writers queue instead of failing) under the data directory by
# default; DATABASE_URL selects PostgreSQL in production. secure_delete makes SQLite zero what it
# deletes or overwrites instead of leaving it in free space, so an erasure leaves no readable copy
# in the database file (the WAL is checkpointed and truncated after each erasure and retention run:
# learnward.core.dbfiles).
# Persistent connections, checked before reuse, on both databases: a request skips PostgreSQL's
# connection set-up, and SQLite's opening of the file and its PRAGMAs, which cost more than the
# verification query itself (bench/serve.py measures both). 0 closes the connection after every
# request.
_conn_max_age = env_int("LEARNWARD_DB_CONN_MAX_AGE", 600)
_database_url = env("DATABASE_URL")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=_conn_max_age, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "learnward.sqlite3",
            "CONN_MAX_AGE": _conn_max_age,
            "CONN_HEALTH_CHECKS": True,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA secure_delete=ON;"
            ),
        }
    )
_test_db_name = env("LEARNWARD_TEST_DB_NAME")
if _test_db_name:
    DATABASES["default"]["TEST"] = {"NAME": _test_db_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, optionally sessions); Redis when LEARNWARD_CACHE_URL is set ----------
# With several web processes or machines the cache must be shared (Redis), or each process keeps
# its own rate-limit counters and a limit of N lets N through per process.
_cache_url = env("LEARNWARD_CACHE_URL")
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database (default) or in the cache with the database behind it ("cached_db"),
# which saves a query per signed-in request when the cache is Redis.
SESSION_ENGINE = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}.get(env("LEARNWARD_SESSION_STORE", "db"), "")
if not SESSION_ENGINE:
    raise ImproperlyConfigured("LEARNWARD_SESSION_STORE must be db or cached_db")
if SESSION_ENGINE.endswith("cached_db") and not _cache_url:
    raise ImproperlyConfigured(
        "LEARNWARD_SESSION_STORE=cached_db needs a shared cache: set LEARNWARD_CACHE_URL"
    )

# --- Production web server (`learnward serve`: gunicorn) --------------------------------------------
WEB_BIND = env("LEARNWARD_BIND", "127.0.0.1:8000")
WEB_WORKERS = env_int("LEARNWARD_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1)
WEB_THREADS = env_int("LEARNWARD_WEB_THREADS", 1)
WEB_TIMEOUT = env_int("LEARNWARD_WEB_TIMEOUT", 30)
# Addresses of the proxies whose X-Forwarded-Proto/-For gunicorn believes (comma-separated, or *).
FORWARDED_ALLOW_IPS = env("LEARNWARD_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
if not 1 <= WEB_WORKERS <= 64 or not 1 <= WEB_THREADS <= 64:
    raise ImproperlyConfigured("LEARNWARD_WEB_WORKERS and LEARNWARD_WEB_THREADS must be 1 to 64")
if WEB_TIMEOUT < 5:
    raise ImproperlyConfigured("LEARNWARD_WEB_TIMEOUT must be at least 5 seconds")

# --- Background tasks ---------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env("LEARNWARD_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Accounts and authentication --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Finds the user of a session signed in through an identity provider (learnward.sso); it
    # authenticates no username and password.
    "learnward.sso.backends.SSOBackend",
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
EMAIL_VERIFICATION_MAX_AGE = env_int("LEARNWARD_EMAIL_VERIFICATION_HOURS", 72) * 3600
MINIMUM_AGE = env_int("LEARNWARD_MINIMUM_AGE", 16)
GUARDIAN_CONSENT_BELOW = env_int("LEARNWARD_GUARDIAN_CONSENT_BELOW", MINIMUM_AGE)
if GUARDIAN_CONSENT_BELOW < MINIMUM_AGE:
    raise ImproperlyConfigured(
        "LEARNWARD_GUARDIAN_CONSENT_BELOW cannot be below LEARNWARD_MINIMUM_AGE"
    )

# django-axes: lock an account+address pair after repeated failures, for a while.
AXES_FAILURE_LIMIT = env_int("LEARNWARD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LEARNWARD_LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

OTP_TOTP_ISSUER = env("LEARNWARD_PROVIDER_NAME", "Learnward Training")

# --- Single sign-on (learnward.sso; docs/sso.md) ---------------------------------------------------
# Identity providers are rows (admin: Single sign-on); each names the LEARNWARD_SSO_SECRET_*
# variable that holds its client secret. Loopback providers (http://127.0.0.1) only for development
# and tests: DEBUG, or this switch, which production refuses.
SSO_ALLOW_LOOPBACK = env_bool("LEARNWARD_SSO_ALLOW_LOOPBACK", False)
if PRODUCTION and SSO_ALLOW_LOOPBACK:
    raise ImproperlyConfigured("LEARNWARD_SSO_ALLOW_LOOPBACK cannot be on in production")
# mozilla-django-oidc: how long to wait for a provider's token, JWKS and userinfo endpoints.
OIDC_TIMEOUT = env_int("LEARNWARD_SSO_TIMEOUT_SECONDS", 10)
OIDC_VERIFY_SSL = True

# --- LTI 1.3 tool (learnward.lti; docs/integrations.md) --------------------------------------------
# Platforms (employers' LMSs) are registered at /staff/lti/. Loopback platform URLs
# (http://127.0.0.1) only for development and tests: DEBUG, or this switch, which production refuses.
LTI_ALLOW_LOOPBACK = env_bool("LEARNWARD_LTI_ALLOW_LOOPBACK", False)
if PRODUCTION and LTI_ALLOW_LOOPBACK:
    raise ImproperlyConfigured("LEARNWARD_LTI_ALLOW_LOOPBACK cannot be on in production")
# The tool's RSA signing key (PEM): from this variable, else generated once into LTI_KEY_FILE
# (mode 0600). Platforms read its public half at /lti/jwks.json.
LTI_KEY = env("LEARNWARD_LTI_KEY").replace("\\n", "\n")
LTI_KEY_FILE = DATA_DIR / "keys" / "lti_rsa"
# How long to wait for a platform's key set, token and score endpoints.
LTI_TIMEOUT = env_int("LEARNWARD_LTI_TIMEOUT_SECONDS", 10)
# Launch records and grade passbacks are kept this many days after they are made, then deleted.
LTI_RECORD_DAYS = env_int("LEARNWARD_LTI_RECORD_DAYS", 365)
if not 30 <= LTI_RECORD_DAYS <= 3650:
    raise ImproperlyConfigured("LEARNWARD_LTI_RECORD_DAYS must be from 30 to 3650 days")

# --- Email ---------------------------------------------------------------------------------------
EMAIL_BACKEND = env("LEARNWARD_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env("LEARNWARD_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("LEARNWARD_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("LEARNWARD_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("LEARNWARD_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("LEARNWARD_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("LEARNWARD_EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("LEARNWARD_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env("LEARNWARD_FROM_EMAIL", "Learnward <no-reply@learnward.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Provider (controller) -------------------------------------------------------------------------
PROVIDER_NAME = env("LEARNWARD_PROVIDER_NAME", "Learnward Training")
PROVIDER_ADDRESS = env("LEARNWARD_PROVIDER_ADDRESS", "1 Example Street, London, EC1A 1AA")
PROVIDER_EMAIL = env("LEARNWARD_PROVIDER_EMAIL", "hello@learnward.test")
DPO_NAME = env("LEARNWARD_DPO_NAME", "Data Protection Officer")
DPO_EMAIL = env("LEARNWARD_DPO_EMAIL", "dpo@learnward.test")
CERTIFICATE_RECORD_YEARS = env_int("LEARNWARD_CERTIFICATE_RECORD_YEARS", 6)
# Branding (learnward.core.branding): defaults for the Branding page in the staff area; a value
# set there wins. Colours are #rrggbb with at least 4.5:1 contrast against white (checked at start).
BRAND_LEGAL_NAME = env("LEARNWARD_BRAND_LEGAL_NAME")  # blank: LEARNWARD_PROVIDER_NAME
BRAND_WEBSITE = env("LEARNWARD_BRAND_WEBSITE")
BRAND_PRIMARY_COLOUR = env("LEARNWARD_BRAND_PRIMARY_COLOUR", "#1d4f91")
BRAND_ACCENT_COLOUR = env("LEARNWARD_BRAND_ACCENT_COLOUR", "#0f6e63")
BRAND_SIGNATORY_NAME = env("LEARNWARD_BRAND_SIGNATORY_NAME")
BRAND_SIGNATORY_TITLE = env("LEARNWARD_BRAND_SIGNATORY_TITLE")

# --- Internationalisation --------------------------------------------------------------------------
# English (the source language, unprefixed URLs), Dutch (/nl/...) and French (/fr/...). Each name
# is written in its own language, as the language switcher shows it (docs/translation.md).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("nl", "Nederlands"), ("fr", "Français")]
# The catalogues (.po sources and compiled .mo files, both committed): learnward/locale/<code>/.
LOCALE_PATHS = [BASE_DIR / "locale"]
# The visitor's choice from the language switcher (a preference, strictly necessary: it is in the
# cookie register). Signed-in people's choice is also saved on their account.
LANGUAGE_COOKIE_NAME = "learnward_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# The supervisory authority learners may complain to, named in the privacy notice and the rights
# pages: "ico" (the UK's Information Commissioner's Office) or "be-apd" (Belgium's Data
# Protection Authority, Gegevensbeschermingsautoriteit / Autorité de protection des données).
SUPERVISORY_AUTHORITY = env("LEARNWARD_SUPERVISORY_AUTHORITY", "ico")
if SUPERVISORY_AUTHORITY not in ("ico", "be-apd"):
    raise ImproperlyConfigured("LEARNWARD_SUPERVISORY_AUTHORITY must be 'ico' or 'be-apd'")
TIME_ZONE = env("LEARNWARD_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Files ---------------------------------------------------------------------------------------------
# Three stores: "default" (uploads), "exports" (the archives of "Download my data") and "journal"
# (the erasure journal that `learnward restore` replays). On one machine they are folders under
# the data directory; with LEARNWARD_S3_BUCKET set, they are prefixes in an S3-compatible bucket
# (django-storages), which every web and worker machine shares. Nothing in them is public: files
# are streamed only by views that check access first, so the bucket needs no public endpoint.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("LEARNWARD_STATIC_ROOT", str(DATA_DIR / "static"))).resolve()
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
EXPORT_ROOT = DATA_DIR / "exports"
# The erasure journal must outlive restores and the machine: point it at storage that is backed
# up separately from the database (another disk, a mounted share) when there is no bucket.
JOURNAL_ROOT = Path(env("LEARNWARD_JOURNAL_DIR", str(DATA_DIR / "journal"))).resolve()
S3_BUCKET = env("LEARNWARD_S3_BUCKET")


def _file_store(location, name: str) -> dict:
    if S3_BUCKET:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "location": name,
                "endpoint_url": env("LEARNWARD_S3_ENDPOINT_URL") or None,
                "region_name": env("LEARNWARD_S3_REGION") or None,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "addressing_style": env("LEARNWARD_S3_ADDRESSING_STYLE") or None,
            },
        }
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(location),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }


# Static files: WhiteNoise serves them from STATIC_ROOT with hashed names (a year's cache) and
# gzip/Brotli copies, after `learnward deploy` (or collectstatic). Development and tests use the
# plain storage, so no collectstatic is needed there.
_static_manifest = env_bool("LEARNWARD_STATIC_MANIFEST", PRODUCTION)
STORAGES = {
    "default": _file_store(MEDIA_ROOT, "media"),
    "exports": _file_store(EXPORT_ROOT, "exports"),
    "journal": _file_store(JOURNAL_ROOT, "journal"),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _static_manifest
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without the manifest (development, tests), WhiteNoise finds files in the apps on each request,
# as runserver does; with it, it serves only what `learnward deploy` collected.
WHITENOISE_USE_FINDERS = not _static_manifest
WHITENOISE_AUTOREFRESH = not _static_manifest
WHITENOISE_MAX_AGE = 60 if DEBUG else 3600

# --- Security ---------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("LEARNWARD_SESSION_DAYS", 14) * 86400
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("LEARNWARD_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("LEARNWARD_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [BASE_URL]
    # With the redirect off, the operator has said the proxy in front redirects plain HTTP (the
    # variable's documented meaning), so Django's warning about it would only stop deploys.
    SILENCED_SYSTEM_CHECKS: list[str] = [] if SECURE_SSL_REDIRECT else ["security.W008"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Frames: the site's own (the package player's sandboxed frame, and the packages' own
        # origin when set, added below) and lessons' embedded videos from exactly these two hosts
        # (learnward.media.embeds.FRAME_SRC; a test checks they agree), loaded only once the
        # visitor accepted optional cookies.
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging: no personal data; only what operators need --------------------------------------------
# "json": one JSON object a line (learnward.core.requestlog.JSONFormatter), with the request id on
# every line written during a request, and one line per request from learnward.request. "plain":
# human-readable lines for development, without the per-request lines (runserver prints its own).
LOG_FORMAT = env("LEARNWARD_LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LEARNWARD_LOG_FORMAT must be json or plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "learnward.core.requestlog.JSONFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LEARNWARD_LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes logs usernames (email addresses) at INFO/WARNING; keep it to errors.
        "axes": {"level": "ERROR"},
        "django.request": {"level": "ERROR"},
        "learnward.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
        # gunicorn's own access log would write each path and query string: off (learnward serve
        # does not configure one); its error log keeps start-up and worker messages.
        "gunicorn.access": {"level": "ERROR", "propagate": False},
        # The stripe library logs every request's URL and response at INFO; our own lines say
        # what happened (event type and id, never a payload).
        "stripe": {"level": "WARNING"},
        # mozilla-django-oidc's own lines can quote a provider's answers; ours say only the reason.
        "mozilla_django_oidc": {"level": "ERROR"},
    },
}

# --- AI-assisted features (learnward.ai) -----------------------------------------------------------
# Off unless a provider is configured: any OpenAI-compatible chat-completions endpoint. Without one,
# "Ask the course" returns relevant lesson passages from the database's own full-text search.
AI_BASE_URL = env("LEARNWARD_AI_BASE_URL").rstrip("/")
AI_API_KEY = env("LEARNWARD_AI_API_KEY")
AI_MODEL = env("LEARNWARD_AI_MODEL")
try:
    AI_TIMEOUT = float(env("LEARNWARD_AI_TIMEOUT", "20"))
except ValueError as exc:
    raise ImproperlyConfigured("LEARNWARD_AI_TIMEOUT must be a number of seconds") from exc
if AI_BASE_URL and not AI_MODEL:
    raise ImproperlyConfigured("LEARNWARD_AI_MODEL must be set when LEARNWARD_AI_BASE_URL is set")
AI_LOG_DAYS = env_int("LEARNWARD_AI_LOG_DAYS", 90)
if AI_LOG_DAYS < 1:
    raise ImproperlyConfigured("LEARNWARD_AI_LOG_DAYS must be at least 1")
if AI_TIMEOUT <= 0:
    raise ImproperlyConfigured("LEARNWARD_AI_TIMEOUT must be a positive number of seconds")

# --- Certificates (learnward.certificates) --------------------------------------------------------
# Public verification (page and API) is limited per client address: "<count>/<second|minute|hour|day>".
VERIFY_RATE_LIMIT = env("LEARNWARD_VERIFY_RATE_LIMIT", "60/minute")
# The Open Badges issuer's Ed25519 secret key (multibase z... or base64 seed); when empty, a key is
# generated once and kept in ISSUER_KEY_FILE (mode 0600).
ISSUER_KEY = env("LEARNWARD_ISSUER_KEY")
ISSUER_KEY_FILE = DATA_DIR / "keys" / "issuer_ed25519"
# Days before expiry on which the holder is emailed a reminder (`learnward send_expiry_reminders`);
# the largest is also when the learner's dashboard starts showing "Expiring soon".
CERTIFICATE_REMINDER_DAYS = env("LEARNWARD_CERTIFICATE_REMINDER_DAYS") or "60,30,7"
if not all(d.strip().isdigit() and int(d) > 0 for d in CERTIFICATE_REMINDER_DAYS.split(",")):
    raise ImproperlyConfigured(
        "LEARNWARD_CERTIFICATE_REMINDER_DAYS must be whole numbers of days above 0, separated by "
        f"commas (for example 60,30,7), not {CERTIFICATE_REMINDER_DAYS!r}"
    )
# LinkedIn's number for the provider's organisation page: "Add to LinkedIn profile" then links
# certificates to it. Without it, LEARNWARD_PROVIDER_NAME is sent as the issuer's name.
LINKEDIN_ORGANIZATION_ID = env("LEARNWARD_LINKEDIN_ORGANIZATION_ID").strip()
if LINKEDIN_ORGANIZATION_ID and not LINKEDIN_ORGANIZATION_ID.isdigit():
    raise ImproperlyConfigured("LEARNWARD_LINKEDIN_ORGANIZATION_ID must be LinkedIn's number")

# --- Sign-in lockout and staff two-factor (learnward.accounts) ------------------------------------
# Axes records and logs one normalised address per account, and its log lines carry a keyed digest
# instead of the address and IP (no personal data in logs).
AXES_USERNAME_CALLABLE = "learnward.accounts.axes_hooks.lockout_username"
AXES_CLIENT_STR_CALLABLE = "learnward.accounts.axes_hooks.client_str"
AXES_LOCKOUT_CALLABLE = "learnward.accounts.views.locked_out"
# Every staff account must turn on two-factor sign-in before using the staff area.
STAFF_TWO_FACTOR_REQUIRED = env_bool("LEARNWARD_STAFF_TWO_FACTOR_REQUIRED", False)
# Typing the password again inside a session (change email, change password, delete account):
# this many wrong passwords for one account, each within the pause of the one before, pause every
# password check for that account for this many minutes (one counter for all three forms).
PASSWORD_RECHECK_FAILURE_LIMIT = env_int("LEARNWARD_PASSWORD_RECHECK_FAILURE_LIMIT", 5)
PASSWORD_RECHECK_LOCKOUT_MINUTES = env_int("LEARNWARD_PASSWORD_RECHECK_LOCKOUT_MINUTES", 15)
if not 1 <= PASSWORD_RECHECK_FAILURE_LIMIT <= 100:
    raise ImproperlyConfigured("LEARNWARD_PASSWORD_RECHECK_FAILURE_LIMIT must be from 1 to 100")
if not 1 <= PASSWORD_RECHECK_LOCKOUT_MINUTES <= 24 * 60:
    raise ImproperlyConfigured(
        "LEARNWARD_PASSWORD_RECHECK_LOCKOUT_MINUTES must be from 1 to 1440 (a day)"
    )

# --- Exports and account deletion (learnward.privacy.rights) --------------------------------------
# Days a self-service export stays downloadable; then `learnward cleanup_exports` deletes the file.
EXPORT_DAYS = env_int("LEARNWARD_EXPORT_DAYS", 7)
# Days after "Delete my account" during which signing in and confirming cancels the deletion;
# `learnward process_erasures` erases the accounts whose cool-off has passed.
ERASURE_COOL_OFF_DAYS = env_int("LEARNWARD_ERASURE_COOL_OFF_DAYS", 14)

# --- Marketing mailings (learnward.communications) -----------------------------------------------
# Marketing mailings are sent by a task, this many people per run (each run enqueues the next).
MAILING_BATCH_SIZE = env_int("LEARNWARD_MAILING_BATCH_SIZE", 200)
# Days an unsubscribe link (and its RFC 8058 one-click header) keeps working after the email was
# sent. Old emails stay in inboxes, so a long while; after it the link shows where to sign in and
# choose, and every newer email carries a fresh link.
UNSUBSCRIBE_LINK_DAYS = env_int("LEARNWARD_UNSUBSCRIBE_LINK_DAYS", 365)
if not 30 <= UNSUBSCRIBE_LINK_DAYS <= 3650:
    raise ImproperlyConfigured("LEARNWARD_UNSUBSCRIBE_LINK_DAYS must be from 30 to 3650 days")

# --- Support desk and complaints (learnward.support) -----------------------------------------------
# Contact form: messages per hour from one network address, and to one email address.
SUPPORT_RATE_LIMIT = env_int("LEARNWARD_SUPPORT_RATE_LIMIT", 5)
# Complaints: days from receipt to the target date for the final response.
COMPLAINT_RESPONSE_DAYS = env_int("LEARNWARD_COMPLAINT_RESPONSE_DAYS", 28)
# Days a link in a support reply lets someone without an account read and answer the thread.
SUPPORT_THREAD_LINK_DAYS = env_int("LEARNWARD_SUPPORT_THREAD_LINK_DAYS", 90)

# --- Static files outside any app ---------------------------------------------------------------------
# The site's stylesheet lives in learnward/static, outside any app: without this the static finders
# (runserver, the live server of browser tests, collectstatic) never find it.
if "STATICFILES_DIRS" not in globals():
    STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Cookies and optional scripts (learnward.privacy.consent) --------------------------------------
# Optional-cookie scripts the visitor accepted: their origins are added to script-src per response.
MIDDLEWARE.insert(
    MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
    "learnward.privacy.consent.cookies.OptionalScriptsCSPMiddleware",
)

# --- Retention (learnward.privacy.retention) -------------------------------------------------------
# Each retention rule in the registry may name an override variable, LEARNWARD_RETENTION_*_MONTHS;
# all of them are read here (whole months), and the engine refuses any below the rule's minimum.
RETENTION_MONTHS = {
    name: env_int(name, 0)
    for name in os.environ
    if name.startswith("LEARNWARD_RETENTION_") and name.endswith("_MONTHS")
}
# Rows per retention batch: each batch is one short transaction.
RETENTION_BATCH_SIZE = env_int("LEARNWARD_RETENTION_BATCH_SIZE", 1000)
if RETENTION_BATCH_SIZE < 1:
    raise ImproperlyConfigured("LEARNWARD_RETENTION_BATCH_SIZE must be at least 1")
# Batches are resized towards this duration (0 keeps LEARNWARD_RETENTION_BATCH_SIZE fixed).
RETENTION_BATCH_TARGET_MS = env_int("LEARNWARD_RETENTION_BATCH_TARGET_MS", 25)
if not 0 <= RETENTION_BATCH_TARGET_MS <= 1000:
    raise ImproperlyConfigured("LEARNWARD_RETENTION_BATCH_TARGET_MS must be 0 to 1000")
# Milliseconds to pause between batches so other writers get in: SQLite has one writer at a time
# and its busy wait backs off, so without a pause a long sweep starves them. 0 on PostgreSQL.
RETENTION_BATCH_PAUSE_MS = env_int(
    "LEARNWARD_RETENTION_BATCH_PAUSE_MS",
    2 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 0,
)
# Days before an account's deletion that its owner is warned by email (and may keep it).
RETENTION_WARNING_DAYS = env_int("LEARNWARD_RETENTION_WARNING_DAYS", 30)
# PostgreSQL: monthly partitions (activity events) are created this many months ahead.
RETENTION_PARTITION_MONTHS_AHEAD = env_int("LEARNWARD_RETENTION_PARTITION_MONTHS_AHEAD", 3)

# --- Daily jobs (learnward.core.periodic) ------------------------------------------------------------
# The daily jobs: `learnward periodic` (cron) or the worker's own schedule (`periodic --schedule`).
# Empty: every daily job the apps register (learnward.core.periodic.register_daily_job).
PERIODIC_COMMANDS = env_list("LEARNWARD_PERIODIC_COMMANDS")
PERIODIC_HOUR = env_int("LEARNWARD_PERIODIC_HOUR", 3)
if not 0 <= PERIODIC_HOUR <= 23:
    raise ImproperlyConfigured("LEARNWARD_PERIODIC_HOUR must be an hour from 0 to 23")

# --- Privacy notice and records of processing (learnward.privacy.records) ---------------------------
# The technical and organisational security measures (UK GDPR Art. 30(1)(g)), in plain words,
# for the records of processing and the privacy notice.
SECURITY_MEASURES = env(
    "LEARNWARD_SECURITY_MEASURES",
    "Encrypted connections (HTTPS) for every page; passwords stored only as Argon2 hashes; "
    "repeated failed sign-ins locked out; two-factor sign-in for staff; staff access limited "
    "by role to what each role needs; a tamper-evident audit trail of actions on personal data; "
    "personal data kept out of application logs; retention periods enforced automatically; "
    "regular backups.",
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append(
    "learnward.privacy.records.context_processors.notice_change"
)

# --- Guardian consent for learners in the guardian band (learnward.accounts) ----------------------
# Days a parent or guardian has to answer; then `learnward expire_guardian_requests` erases the
# waiting account. The emailed link works for the same period.
GUARDIAN_CONSENT_DAYS = env_int("LEARNWARD_GUARDIAN_CONSENT_DAYS", 14)
if not 1 <= GUARDIAN_CONSENT_DAYS <= 90:
    raise ImproperlyConfigured("LEARNWARD_GUARDIAN_CONSENT_DAYS must be from 1 to 90")

# --- Provider dashboard (learnward.insights) ---------------------------------------------------------
# Counts from 1 to this minus one are shown as "fewer than N", and rates are not shown for groups
# smaller than N, so no chart narrows down to one or two learners (docs/insights.md).
# A tutor's learner is "at risk" after this many days without viewing or completing a lesson.
AT_RISK_DAYS = env_int("LEARNWARD_AT_RISK_DAYS", 14)
if AT_RISK_DAYS < 1:
    raise ImproperlyConfigured("LEARNWARD_AT_RISK_DAYS must be at least 1")
INSIGHTS_MIN_COUNT = env_int("LEARNWARD_INSIGHTS_MIN_COUNT", 5)
if INSIGHTS_MIN_COUNT < 2:
    raise ImproperlyConfigured("LEARNWARD_INSIGHTS_MIN_COUNT must be at least 2")

# --- Selling courses (learnward.commerce, docs/payments.md) ------------------------------------
# Card payments through Stripe Checkout: both keys set, and a processor serving "purchases" in
# the processor register. Without them the store takes bank transfers and invoices only.
STRIPE_SECRET_KEY = env("LEARNWARD_STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env("LEARNWARD_STRIPE_WEBHOOK_SECRET")
# Only for tests and Stripe's own mock servers: where the stripe library sends API requests.
STRIPE_API_BASE = env("LEARNWARD_STRIPE_API_BASE")
# Orders (billing details) are deleted this long after they are paid or cancelled; the invoice
# stays as the record of the sale for its own seven years.
RETENTION_ORDER_MONTHS = env_int("LEARNWARD_RETENTION_ORDER_MONTHS", 12)

# --- Organisations (learnward.organisations, docs/organisations.md) ----------------------------
# Days an invitation to join an organisation (and the seat it holds) waits for an answer; then
# `learnward expire_invitations` (a daily job) expires it and the seat goes back to the pool.
INVITATION_DAYS = env_int("LEARNWARD_INVITATION_DAYS", 14)
if not 1 <= INVITATION_DAYS <= 90:
    raise ImproperlyConfigured("LEARNWARD_INVITATION_DAYS must be between 1 and 90")

# --- Integrations (learnward.integrations, docs/integrations.md) --------------------------------
# Webhook and LRS addresses on loopback (http://127.0.0.1) only for development and tests: DEBUG,
# the test suite, or this switch, which production refuses.
INTEGRATIONS_ALLOW_LOOPBACK = env_bool("LEARNWARD_INTEGRATIONS_ALLOW_LOOPBACK", DEBUG or TESTING)
if PRODUCTION and INTEGRATIONS_ALLOW_LOOPBACK:
    raise ImproperlyConfigured("LEARNWARD_INTEGRATIONS_ALLOW_LOOPBACK cannot be on in production")
# The longest an API token may live (days); staff choose up to this when they create one.
API_TOKEN_MAX_DAYS = env_int("LEARNWARD_API_TOKEN_MAX_DAYS", 365)
# API tokens are deleted this long after they expire or are revoked.
RETENTION_API_TOKEN_MONTHS = env_int("LEARNWARD_RETENTION_API_TOKEN_MONTHS", 12)
# Webhooks: attempts per message, the first retry's delay (doubling each time, at most 6 hours),
# the request timeout, consecutive failures after which an endpoint is disabled (staff are told),
# and how long the previous secret still signs after a rotation.
WEBHOOK_MAX_ATTEMPTS = env_int("LEARNWARD_WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_BASE_SECONDS = env_int("LEARNWARD_WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_TIMEOUT_SECONDS = env_int("LEARNWARD_WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("LEARNWARD_WEBHOOK_DISABLE_AFTER_FAILURES", 20)
WEBHOOK_SECRET_ROTATION_HOURS = env_int("LEARNWARD_WEBHOOK_SECRET_ROTATION_HOURS", 24)
# The webhook delivery log is deleted this long after each message was created.
RETENTION_WEBHOOK_DELIVERY_MONTHS = env_int("LEARNWARD_RETENTION_WEBHOOK_DELIVERY_MONTHS", 3)
# xAPI statements out, to the provider's learning record store: off unless the endpoint is set
# and an active processor serving "xapi_statements" is in the processor register.
XAPI_LRS_ENDPOINT = env("LEARNWARD_XAPI_LRS_ENDPOINT").rstrip("/")
XAPI_LRS_KEY = env("LEARNWARD_XAPI_LRS_KEY")
XAPI_LRS_SECRET = env("LEARNWARD_XAPI_LRS_SECRET")
# The actor's account homePage, and the key of the keyed hash that makes each learner's opaque
# account name (defaults to SECRET_KEY; set it so rotating SECRET_KEY keeps the names).
XAPI_ACTOR_HOMEPAGE = env("LEARNWARD_XAPI_ACTOR_HOMEPAGE", BASE_URL)
XAPI_ACTOR_KEY = env("LEARNWARD_XAPI_ACTOR_KEY")
# Queued statements are deleted this long after they were queued.
RETENTION_XAPI_STATEMENT_MONTHS = env_int("LEARNWARD_RETENTION_XAPI_STATEMENT_MONTHS", 3)
# --- SCORM and cmi5 packages (learnward.packages, docs/integrations.md) ----------------------------
# Serve package content from this separate origin (e.g. https://packages.example.com, routed to
# this app: deploy docs); empty: from this site's sandboxed /packages/content/ path.
PACKAGES_ORIGIN = env("LEARNWARD_PACKAGES_ORIGIN").rstrip("/")
# A launch token (the content's only credential) lasts this long.
PACKAGES_LAUNCH_HOURS = env_int("LEARNWARD_PACKAGES_LAUNCH_HOURS", 8)
# Limits on an uploaded package: its zip, what it unpacks to, its files, and any file's
# compression ratio (a zip bomb unpacks to thousands of times its size).
PACKAGES_MAX_UPLOAD_MB = env_int("LEARNWARD_PACKAGES_MAX_UPLOAD_MB", 200)
PACKAGES_MAX_TOTAL_MB = env_int("LEARNWARD_PACKAGES_MAX_TOTAL_MB", 500)
PACKAGES_MAX_FILES = env_int("LEARNWARD_PACKAGES_MAX_FILES", 5000)
PACKAGES_MAX_RATIO = env_int("LEARNWARD_PACKAGES_MAX_RATIO", 100)
if PACKAGES_ORIGIN and not PACKAGES_ORIGIN.startswith(("https://", "http://")):
    raise ImproperlyConfigured("LEARNWARD_PACKAGES_ORIGIN must be an origin like https://host")
if PACKAGES_ORIGIN:  # the lesson page frames the player from there
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"].insert(1, PACKAGES_ORIGIN)
if (
    min(PACKAGES_LAUNCH_HOURS, PACKAGES_MAX_UPLOAD_MB, PACKAGES_MAX_TOTAL_MB) < 1
    or min(PACKAGES_MAX_FILES, PACKAGES_MAX_RATIO) < 1
):
    raise ImproperlyConfigured("The LEARNWARD_PACKAGES_* limits must be at least 1")
# --- Course media (learnward.media, docs/courses.md "Media") ------------------------------------
# The largest upload of each kind, in bytes; a larger one is refused with its size and the limit.
MEDIA_MAX_IMAGE_BYTES = env_int("LEARNWARD_MEDIA_MAX_IMAGE_BYTES", 10_000_000)
MEDIA_MAX_VIDEO_BYTES = env_int("LEARNWARD_MEDIA_MAX_VIDEO_BYTES", 500_000_000)
MEDIA_MAX_FILE_BYTES = env_int("LEARNWARD_MEDIA_MAX_FILE_BYTES", 50_000_000)
MEDIA_MAX_CAPTIONS_BYTES = env_int("LEARNWARD_MEDIA_MAX_CAPTIONS_BYTES", 1_000_000)
if (
    min(
        MEDIA_MAX_IMAGE_BYTES, MEDIA_MAX_VIDEO_BYTES, MEDIA_MAX_FILE_BYTES, MEDIA_MAX_CAPTIONS_BYTES
    )
    < 1
):
    raise ImproperlyConfigured("The LEARNWARD_MEDIA_MAX_*_BYTES limits must be at least 1")
# --- Course import and export (learnward.transfer, docs/courses.md) ------------------------------
# Limits on an imported course file: what it unpacks to in total, any one file in it, how many
# entries it holds, and any file's compression ratio (a zip bomb unpacks to thousands of times
# its size). The uploaded file itself may be no larger than the total.
COURSE_IMPORT_MAX_BYTES = env_int("LEARNWARD_COURSE_IMPORT_MAX_BYTES", 500 * 1024 * 1024)
COURSE_IMPORT_MAX_FILE_BYTES = env_int("LEARNWARD_COURSE_IMPORT_MAX_FILE_BYTES", 200 * 1024 * 1024)
COURSE_IMPORT_MAX_ENTRIES = env_int("LEARNWARD_COURSE_IMPORT_MAX_ENTRIES", 2000)
COURSE_IMPORT_MAX_RATIO = env_int("LEARNWARD_COURSE_IMPORT_MAX_RATIO", 100)
if (
    min(
        COURSE_IMPORT_MAX_BYTES,
        COURSE_IMPORT_MAX_FILE_BYTES,
        COURSE_IMPORT_MAX_ENTRIES,
        COURSE_IMPORT_MAX_RATIO,
    )
    < 1
):
    raise ImproperlyConfigured("The LEARNWARD_COURSE_IMPORT_* limits must be at least 1")
# --- Community (learnward.community, docs/community.md) ----------------------------------------
# Posts (threads and replies) one member may write per window; beyond it they are asked to wait.
COMMUNITY_POSTS_PER_WINDOW = env_int("LEARNWARD_COMMUNITY_POSTS_PER_WINDOW", 10)
COMMUNITY_POST_WINDOW_SECONDS = env_int("LEARNWARD_COMMUNITY_POST_WINDOW_SECONDS", 600)
if COMMUNITY_POSTS_PER_WINDOW < 1 or COMMUNITY_POST_WINDOW_SECONDS < 1:
    raise ImproperlyConfigured("the community's posting rate limit must be at least 1")
# Different members one post may mention; a post naming more is refused (mention spam).
COMMUNITY_MENTION_LIMIT = env_int("LEARNWARD_COMMUNITY_MENTION_LIMIT", 5)
if COMMUNITY_MENTION_LIMIT < 1:
    raise ImproperlyConfigured("LEARNWARD_COMMUNITY_MENTION_LIMIT must be at least 1")

# --- Recommendations (learnward.recommendations, docs/community.md) ------------------------------
# "Recommended next" counts what other learners completed after the same course only when at
# least this many did (small numbers are suppressed, as on the insights dashboard).
RECOMMENDATIONS_MIN_COUNT = env_int("LEARNWARD_RECOMMENDATIONS_MIN_COUNT", 3)
if RECOMMENDATIONS_MIN_COUNT < 2:
    raise ImproperlyConfigured("LEARNWARD_RECOMMENDATIONS_MIN_COUNT must be at least 2")

# --- Notifications and web push (learnward.notifications, docs/notifications.md) -------------------
# Web push is on when both VAPID keys are set (generate them with `learnward vapid_keys`): the
# private key signs each push (base64url raw key or PEM), the public one is given to browsers.
VAPID_PRIVATE_KEY = env("LEARNWARD_VAPID_PRIVATE_KEY")
VAPID_PUBLIC_KEY = env("LEARNWARD_VAPID_PUBLIC_KEY")
# Who the push services can contact about our pushes (a mailto: or https: address).
VAPID_SUBJECT = env(
    "LEARNWARD_VAPID_SUBJECT",
    "mailto:" + __import__("email.utils").utils.parseaddr(DEFAULT_FROM_EMAIL)[1],
)
# The push service hosts a subscription may point at ("*.example.com" matches subdomains).
# Empty: the browser vendors' services (learnward.notifications.push.DEFAULT_PUSH_SERVICE_HOSTS).
PUSH_SERVICE_HOSTS = env_list("LEARNWARD_PUSH_SERVICE_HOSTS")
# Only for tests: allow a push service on this computer (http on 127.0.0.1).
PUSH_ALLOW_LOOPBACK = env_bool("LEARNWARD_PUSH_ALLOW_LOOPBACK", False)
if PRODUCTION and PUSH_ALLOW_LOOPBACK:
    raise ImproperlyConfigured("LEARNWARD_PUSH_ALLOW_LOOPBACK cannot be on in production")
# How long a push service keeps a push for a device that is offline.
PUSH_TTL_SECONDS = env_int("LEARNWARD_PUSH_TTL_SECONDS", 86400)
# --- Classes and sessions (learnward.classes, docs/sessions-and-exams.md) ----------------------
# Reminders go out this many hours before a session starts (once per booking), from the
# `learnward send_session_reminders` job: a daily job, which an operator may also run hourly.
CLASSES_REMINDER_HOURS = env_int("LEARNWARD_CLASSES_REMINDER_HOURS", 24)
if not 1 <= CLASSES_REMINDER_HOURS <= 24 * 14:
    raise ImproperlyConfigured("LEARNWARD_CLASSES_REMINDER_HOURS must be from 1 to 336")
# The teacher's QR check-in code changes this often; a code is accepted for this long plus the
# grace (time for the learner to tap "Check in" after scanning).
CLASSES_QR_ROTATE_SECONDS = env_int("LEARNWARD_CLASSES_QR_ROTATE_SECONDS", 30)
if not 10 <= CLASSES_QR_ROTATE_SECONDS <= 300:
    raise ImproperlyConfigured("LEARNWARD_CLASSES_QR_ROTATE_SECONDS must be from 10 to 300")
CLASSES_CHECKIN_GRACE_SECONDS = env_int("LEARNWARD_CLASSES_CHECKIN_GRACE_SECONDS", 30)
if not 0 <= CLASSES_CHECKIN_GRACE_SECONDS <= 120:
    raise ImproperlyConfigured("LEARNWARD_CLASSES_CHECKIN_GRACE_SECONDS must be from 0 to 120")
# Registers and waitlists show learners' names only; turn this on to show their email addresses
# too (for in-person safety: a teacher who must reach a missing learner).
CLASSES_SHOW_CONTACT_DETAILS = env_bool("LEARNWARD_CLASSES_SHOW_CONTACT_DETAILS", False)
