"""Django settings for Līdzdalība, read from environment variables (12-factor).

Every value that differs between the demo, a test run and production comes from the
environment; see the README's configuration table. ``DEBUG`` is off unless set.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("LIDZDALIBA_VAR_DIR", default=str(REPO_DIR / "var")))

env = environ.Env()
environ.Env.read_env(REPO_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local demo).")
# Personal codes are stored only as HMAC-SHA256 under this key; losing it makes the census
# unusable, leaking it lets anyone test guesses. Keep it apart from SECRET_KEY in production.
PERSONAL_CODE_HMAC_KEY = env.str("PERSONAL_CODE_HMAC_KEY", default=f"pk-hmac:{SECRET_KEY}")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from our static files, not a CDN
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks",
    "django_tasks_db",
    "lidzdaliba.core",
    "lidzdaliba.accounts",
    "lidzdaliba.reports",
    "lidzdaliba.petitions",
    "lidzdaliba.socialmap",
    "lidzdaliba.budgeting",
]

MIDDLEWARE = [
    "lidzdaliba.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lidzdaliba.core.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lidzdaliba.accounts.middleware.StaffSecondFactorMiddleware",
    "lidzdaliba.core.middleware.MunicipalityMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lidzdaliba.urls"
WSGI_APPLICATION = "lidzdaliba.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "lidzdaliba.core.context_processors.platform",
                "lidzdaliba.core.context_processors.notifications_count",
            ],
        },
    }
]

# Databases: SQLite in WAL mode by default, PostgreSQL (or any) through DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ],
)

# django-allauth: e-mail only, confirmed, with TOTP and recovery codes.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Līdzdalība] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_ADAPTER = "lidzdaliba.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "lidzdaliba.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Līdzdalība")
LOGIN_REDIRECT_URL = "accounts:profile"
LOGIN_URL = "account_login"

# Latvian e-identification through OpenID Connect (eParaksts, a bank, latvija.lv through a
# broker...). Configured from the environment; see docs/eid.md.
EID_OIDC_SERVER_URL = env.str("EID_OIDC_SERVER_URL", default="")
EID_PERSONAL_CODE_CLAIM = env.str("EID_PERSONAL_CODE_CLAIM", default="personal_code")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": "eid",
                    "name": env.str("EID_NAME", default="e-identifikācija"),
                    "client_id": env.str("EID_CLIENT_ID", default=""),
                    "secret": env.str("EID_CLIENT_SECRET", default=""),
                    "settings": {
                        "server_url": EID_OIDC_SERVER_URL,
                        "token_auth_method": env.str(
                            "EID_TOKEN_AUTH_METHOD", default="client_secret_post"
                        ),
                        "scope": env.list("EID_SCOPES", default=["openid", "profile"]),
                    },
                }
            ]
            if EID_OIDC_SERVER_URL
            else []
        ),
    }
}

# django-axes: lock an account + address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# allauth passes the address as ``email=``; this finds it (else lockout is by IP alone).
AXES_USERNAME_CALLABLE = "lidzdaliba.accounts.security.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Residency verification lasts this long before the resident must verify again.
RESIDENCY_VALID_DAYS = env.int("RESIDENCY_VALID_DAYS", default=365)

# Collective submissions. Signers' name, surname and personal code are encrypted with the
# first key (Fernet); older keys stay listed to decrypt until rotated. Set it explicitly in
# production: the default follows SECRET_KEY.
PETITION_SIGNER_KEY = env.list("PETITION_SIGNER_KEY", default=[f"petition-signer:{SECRET_KEY}"])
PETITION_SIGNING_DAYS = env.int("PETITION_SIGNING_DAYS", default=180)
PETITION_ANSWER_MONTHS = env.int("PETITION_ANSWER_MONTHS", default=3)
PETITION_ORDINARY_ANSWER_MONTHS = env.int("PETITION_ORDINARY_ANSWER_MONTHS", default=1)
PETITION_SIGNER_DATA_RETENTION_DAYS = env.int("PETITION_SIGNER_DATA_RETENTION_DAYS", default=90)

# Social map: entries not confirmed for this long are flagged to their organisation, and
# marked "may be outdated" in public after the grace period.
SOCIALMAP_CONFIRM_MONTHS = env.int("SOCIALMAP_CONFIRM_MONTHS", default=12)
SOCIALMAP_OUTDATED_GRACE_DAYS = env.int("SOCIALMAP_OUTDATED_GRACE_DAYS", default=30)

# Languages: Latvian at /, the others under their prefix.
LANGUAGE_CODE = "lv"
LANGUAGES = [
    ("lv", "Latviešu"),
    ("en", "English"),
    ("ru", "Русский"),
    ("uk", "Українська"),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "lv"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("lv", "en")
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Riga"
FORMAT_MODULE_PATH = ["lidzdaliba.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
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
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Līdzdalība <noreply@lidzdaliba.lv>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security baseline for every page.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Map tiles are the only outside resource a page may load, and only from the configured host.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_tile_origin] if _tile_origin else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *([EID_OIDC_SERVER_URL] if EID_OIDC_SERVER_URL else [])],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
# Server-Timing header with time and query count per response (for benchmarks/pages.py).
SERVER_TIMING = env.bool("SERVER_TIMING", default=False)
