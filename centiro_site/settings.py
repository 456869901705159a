"""Settings for centiro-site, read from the environment (12-factor).

Every variable is listed in `.env.example` and in the README's configuration table.
"""

import socket
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from centiro_site import headers, logconfig

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is not set. Production refuses to start without it.")
    SECRET_KEY = "insecure-key-for-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]", ".centiro.se", ".centiro.com"],
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# How many reverse proxies in front of the site append to X-Forwarded-For.
# core.net.client_ip and allauth read the client address the same way.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

INSTALLED_APPS = [
    "accounts.apps.CentiroAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "django_countries",
    "allauth",
    "accounts.apps.EmailAddressesConfig",  # allauth.account
    "accounts.apps.SecondFactorConfig",  # allauth.mfa
    "core",
    "accounts",
    "policy",
    "consent",
    "visits",
    "registrations",
    "pages",
    "pagecache",
    "django.forms",
]

# Django's deploy check looks for CsrfViewMiddleware by its path; the site runs a subclass of it in
# its place (core.crossorigin.CrossOriginProtectionMiddleware: the browser's headers first, then
# Django's own token check). tests/test_security.py checks the subclass is there.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

MIDDLEWARE = [
    "core.metrics.MetricsMiddleware",
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.sessions.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.requestbody.RequestBodyLimitMiddleware",
    # Django's CsrfViewMiddleware, asked only when the browser's headers are silent.
    "core.crossorigin.CrossOriginProtectionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "visits.middleware.VisitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "consent.middleware.ConsentMiddleware",
]

ROOT_URLCONF = "centiro_site.urls"
# Widgets render through TEMPLATES, so templates/ can correct one of Django's (the admin's split
# date and time gets labels).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "centiro_site.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "pages.context_processors.site",
    "policy.context_processors.policy",
    "consent.context_processors.cookie_consent",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS},
    },
    # Plain-text mail parts and subjects (core.mail.render_text): plain text is not
    # HTML, so nothing is escaped. Only asked for by name; every other lookup finds the first.
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS, "autoescape": False},
    },
]

# Database: SQLite file by default, PostgreSQL in production and CI.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    # Off by default: a health check is an extra round trip (SELECT 1) on every request, about
    # a third of a public page's time under load (README, "Load benchmark"). Without it, the
    # first request per worker after a database restart gets the 503 page, then Django drops
    # the broken connection and the next request reconnects.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://centiro")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.FallbackRedisCache"
# Per process: template fragments that depend only on the language
# ({% cache None name LANGUAGE_CODE using="fragments" %}), so the header, footer and page texts
# are not reversed and translated on every request.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": None,
}

# Per process, in front of the default cache: whole pages for anonymous visitors
# (pagecache/store.py). Bounded, as paths and query strings come from the request.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, with the signed-in user read from the cache (accounts/usercache.py).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ],
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Messages ride in the (declared, necessary) session cookie, so no `messages` cookie exists.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "registrations:portal"

# allauth: email is the login, verified before first sign-in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Centiro: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Internationalisation: Swedish first, English under /en/.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
# locale/ is written by makemessages; locale_allauth/ holds our corrections of allauth's own
# msgids, which makemessages --no-obsolete would otherwise drop. Both outrank allauth's catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_allauth"]
FORMAT_MODULE_PATH = ["centiro_site.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Centiro <no-reply@centiro.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Read from the cache (Redis), written through to the database: a signed-in request loads its
# session without a query, and a Redis restart signs nobody out. Django's cached_db, except that
# a session write the database refuses answers 503, not 400 (core/sessions.py).
SESSION_ENGINE = "core.sessions"
# Decides `Secure` for every cookie: Django's, and the apps' through core/cookies.py.
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = headers.PERMISSIONS_POLICY
CONTENT_SECURITY_POLICY = headers.CONTENT_SECURITY_POLICY

LOGGING = logconfig.logging_config(level=env("LOG_LEVEL", default="INFO"))

# Prometheus scrapes /metrics on each app node from these addresses (as client_ip sees them);
# anyone else gets a 404, and nginx refuses /metrics whatever the address.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
# Company facts shown on the about and contact pages only when set: the site states no fact
# that nobody has supplied.
COMPANY_PHONE = env("COMPANY_PHONE", default="")
COMPANY_ORG_NUMBER = env("COMPANY_ORG_NUMBER", default="")

# security.txt (RFC 9116). Expires: an ISO-8601 date-time; unset means 180 days from today.
SECURITY_CONTACT = env("SECURITY_CONTACT", default="mailto:info@centiro.se")
SECURITY_TXT_EXPIRES = env("SECURITY_TXT_EXPIRES", default="")

# Retention and data lifecycle (days).
VISIT_RETENTION_DAYS = env.int("VISIT_RETENTION_DAYS", default=395)
# Part of the page cache's key; empty: a hash of the code, templates, translations and static
# manifest (core/release.py).
RELEASE_ID = env.str("RELEASE_ID", default="")
# Page views are appended to a spool file on this node and drained into the database by
# `manage.py drain_visits` (visits/spool.py). The node name keeps segments of several nodes apart.
VISIT_SPOOL_DIR = env.path("VISIT_SPOOL_DIR", default=BASE_DIR / "spool")
VISIT_SPOOL_NODE = env.str("VISIT_SPOOL_NODE", default=socket.gethostname())
UNVERIFIED_ACCOUNT_DAYS = env.int("UNVERIFIED_ACCOUNT_DAYS", default=7)
# Consent records are kept as proof for this long after the consent's 12-month validity ends.
CONSENT_RECORD_RETENTION_DAYS = env.int("CONSENT_RECORD_RETENTION_DAYS", default=1095)

# Request bodies (core/requestbody.py): no form needs more than REQUEST_MAX_BYTES; only
# the staff's file uploads may add a file of up to RESOURCE_MAX_UPLOAD_BYTES, and only one.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 300
DATA_UPLOAD_MAX_NUMBER_FILES = 1

# Restricted resources (registrations): files live under MEDIA_ROOT/private/,
# which no URL serves; a view checks access and streams them.
RESOURCE_MAX_UPLOAD_BYTES = env.int("RESOURCE_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
RESOURCE_ALLOWED_EXTENSIONS = env.list(
    "RESOURCE_ALLOWED_EXTENSIONS",
    default=["pdf", "zip", "txt", "csv", "png", "jpg", "jpeg", "docx", "xlsx"],
)

# Accounts (accounts/): allauth through its adapter, forms, signals and public API; the admin
# site (accounts.admin_site) sends staff through its login and second factor.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Kept in the default cache (Redis in production), so they hold across workers.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/180s/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Signing in with a passkey alone asks the authenticator for user verification (PIN or
# biometrics), so it is two factors and counts as the admin's second factor
# (accounts.services.is_mfa_authenticated).
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
    "add_webauthn": "accounts.forms.AddPasskeyForm",
    "edit_webauthn": "accounts.forms.EditPasskeyForm",
}
MFA_TOTP_ISSUER = "Centiro"
