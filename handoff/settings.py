"""The one settings module. Every value comes from an environment variable
declared here with its default and documentation (see README, "Configuration")."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from handoff.lib.env import Env, EnvError, parse_limits

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

try:
    DATA_DIR = Path(
        env.text(
            "HANDOFF_DATA_DIR",
            str(BASE_DIR / "var"),
            "Folder for the SQLite database, the generated secret key and other local state.",
        )
    )
    DEBUG = env.flag("HANDOFF_DEBUG", False, "Django debug mode. Never on a public server.")
    _secret = env.text(
        "HANDOFF_SECRET_KEY",
        "",
        "Django secret key. When empty, one is generated once into DATA_DIR/secret_key (mode 600).",
    )
    _database_url = env.text(
        "DATABASE_URL",
        f"sqlite:///{DATA_DIR / 'handoff.sqlite3'}",
        "Database: a sqlite:///PATH (default, in DATA_DIR) or postgres://USER@HOST:PORT/NAME URL.",
    )
    _conn_max_age = env.integer(
        "HANDOFF_CONN_MAX_AGE",
        60,
        "Seconds a PostgreSQL connection is kept open between requests and jobs.",
    )
    ALLOWED_HOSTS = env.items(
        "HANDOFF_ALLOWED_HOSTS",
        ["127.0.0.1", "localhost"],
        "Comma-separated host names the web desk answers to.",
    )
    CSRF_TRUSTED_ORIGINS = env.items(
        "HANDOFF_CSRF_TRUSTED_ORIGINS",
        [],
        "Comma-separated origins (https://desk.example.com) allowed to post forms behind a proxy.",
    )
    MAX_MESSAGE_BYTES = env.integer(
        "HANDOFF_MAX_MESSAGE_BYTES",
        50 * 1024 * 1024,
        "Largest message stored whole. A bigger one is stored cut at this size and flagged.",
        minimum=1024,
    )
    MAX_ATTACHMENT_BYTES = env.integer(
        "HANDOFF_MAX_ATTACHMENT_BYTES",
        25 * 1024 * 1024,
        "Attachments larger than this are kept in the raw message but not offered for download.",
        minimum=0,
    )
    REPLY_MAX_BYTES = env.integer(
        "HANDOFF_REPLY_MAX_BYTES",
        10 * 1024 * 1024,
        "Largest total of the files attached to one reply; more is refused with a clear message.",
        minimum=0,
    )
    REPLY_MAX_FILES = env.integer(
        "HANDOFF_REPLY_MAX_FILES", 10, "Most files attached to one reply.", minimum=0
    )
    REPLY_MAX_CHARS = env.integer(
        "HANDOFF_REPLY_MAX_CHARS",
        100_000,
        "Longest reply text, in characters (a pasted log belongs in an attachment).",
        minimum=1000,
    )
    REPLY_UNDO_SECONDS = env.integer(
        "HANDOFF_REPLY_UNDO_SECONDS",
        10,
        "Seconds a person's reply waits before it goes, with an Undo button; 0: at once.",
        minimum=0,
    )
    TIME_ZONE = env.text("HANDOFF_TIME_ZONE", "UTC", "Time zone used to display dates.")
    LOG_LEVEL = env.choice(
        "HANDOFF_LOG_LEVEL",
        "INFO",
        ("DEBUG", "INFO", "WARNING", "ERROR"),
        "Level of the log written to standard error.",
    )
    TASKS_BACKEND = env.choice(
        "HANDOFF_TASKS",
        "database",
        ("database", "immediate"),
        "Where background jobs run: 'database' (a `handoff work` process claims them) "
        "or 'immediate' (inline, in the process that enqueues them).",
    )
    DESK_DOMAIN = env.text(
        "HANDOFF_DOMAIN",
        "handoff.localhost",
        "The desk's own mail domain: Message-IDs of the mail it sends end with it.",
    )
    MAIL_OUT = env.choice(
        "HANDOFF_MAIL_OUT",
        "file",
        ("file", "smtp", "anymail", "console"),
        "How mail leaves: 'file' (written into HANDOFF_MAIL_DIR, nothing leaves the machine), "
        "'smtp' (HANDOFF_SMTP_*), 'anymail' (a provider, HANDOFF_ANYMAIL_*) "
        "or 'console' (printed).",
    )
    MAIL_DIR = Path(
        env.text(
            "HANDOFF_MAIL_DIR",
            str(DATA_DIR / "sent-mail"),
            "Folder the mail goes into with HANDOFF_MAIL_OUT=file (created when needed).",
        )
    )
    SMTP_HOST = env.text("HANDOFF_SMTP_HOST", "127.0.0.1", "Outgoing SMTP server.")
    SMTP_PORT = env.integer("HANDOFF_SMTP_PORT", 25, "Outgoing SMTP port.", minimum=1)
    SMTP_USER = env.text("HANDOFF_SMTP_USER", "", "Outgoing SMTP login (empty: none).")
    SMTP_PASSWORD = env.text(
        "HANDOFF_SMTP_PASSWORD", "", "Outgoing SMTP password (from the environment only)."
    )
    SMTP_SECURITY = env.choice(
        "HANDOFF_SMTP_SECURITY", "none", ("none", "starttls", "tls"), "Outgoing SMTP encryption."
    )
    ANYMAIL_ESP = env.text(
        "HANDOFF_ANYMAIL_ESP",
        "",
        "Provider for sending with HANDOFF_MAIL_OUT=anymail, e.g. 'postmark', 'mailgun'.",
    )
    ANYMAIL_API_KEY = env.text(
        "HANDOFF_ANYMAIL_API_KEY", "", "API key (or server token) of that provider."
    )
    WEBHOOK_SECRET = env.text(
        "HANDOFF_WEBHOOK_SECRET",
        "",
        "user:password that providers' inbound webhooks must send (HTTP basic auth). "
        "Empty: inbound webhooks are refused.",
    )
    MAILGUN_SIGNING_KEY = env.text(
        "HANDOFF_MAILGUN_WEBHOOK_SIGNING_KEY", "", "Mailgun's webhook signing key."
    )
    SMTPD_DOMAINS = env.items(
        "HANDOFF_SMTPD_DOMAINS",
        [],
        "Domains the SMTP receiver accepts mail for, besides the mailboxes' own addresses.",
    )
    AUTOSEND_LIMITS = env.text(
        "HANDOFF_AUTOSEND_LIMITS",
        "conversation:10/600,conversation:15/1800,conversation:25/3600,"
        "recipient:10/600,recipient:25/3600,global:30/600",
        "Most automatic messages (acknowledgements, notifications) per window: "
        "SCOPE:COUNT/SECONDS, scopes conversation, recipient, global.",
    )
    SECURE_COOKIES = env.flag(
        "HANDOFF_SECURE_COOKIES", False, "Send session and CSRF cookies over HTTPS only."
    )
    PUBLIC_URL = env.text(
        "HANDOFF_PUBLIC_URL",
        "http://127.0.0.1:8000",
        "The desk's address as customers reach it (https://desk.example.com): the base of the "
        "links in the mail it sends, such as the rating links.",
    ).rstrip("/")
    if not PUBLIC_URL.startswith(("https://", "http://")):
        raise EnvError(f"HANDOFF_PUBLIC_URL={PUBLIC_URL!r}: expected an http(s):// address")
    RATING_LINKS = env.flag(
        "HANDOFF_RATING_LINKS",
        True,
        "End each reply with one-click rating links (good / okay / bad) in the customer's "
        "language. Links already sent keep working until they expire.",
    )
    RATING_LINK_DAYS = env.integer(
        "HANDOFF_RATING_LINK_DAYS",
        30,
        "Days a reply's rating links stay valid.",
        minimum=1,
    )
    REQUIRE_2FA = env.flag(
        "HANDOFF_REQUIRE_2FA",
        False,
        "Founders and administrators must turn on two-factor sign-in (a code from an app) "
        "before they can use the desk; everyone else may choose to.",
    )
    BODY_SHOW_CHARS = env.integer(
        "HANDOFF_BODY_SHOW_CHARS",
        20_000,
        "Longest message text shown whole on a conversation page; a longer one is cut, "
        "with a 'Show all' link for that message.",
        minimum=100,
    )
    HTML_SHOW_CHARS = env.integer(
        "HANDOFF_HTML_SHOW_CHARS",
        1_000_000,
        "Longest message HTML shown whole in its frame; a longer one is cut, with a "
        "'Show all' link for that message.",
        minimum=1000,
    )
    IMAGE_PROXY_MAX_BYTES = env.integer(
        "HANDOFF_IMAGE_PROXY_MAX_BYTES",
        5 * 1024 * 1024,
        "Largest remote image the image proxy passes on.",
        minimum=1024,
    )
    IMAGE_PROXY_TIMEOUT = env.integer(
        "HANDOFF_IMAGE_PROXY_TIMEOUT",
        5,
        "Seconds the image proxy waits for a remote image, redirects included.",
        minimum=1,
    )
    IMAGE_PROXY_PRIVATE = env.flag(
        "HANDOFF_IMAGE_PROXY_PRIVATE",
        False,
        "Let the image proxy fetch from loopback and private addresses (tests only: "
        "otherwise mail could make the desk reach into its own network).",
    )
    AUTOSEND_WINDOWS = parse_limits("HANDOFF_AUTOSEND_LIMITS", AUTOSEND_LIMITS)
    env.check_unknown()
except EnvError as error:
    raise ImproperlyConfigured(str(error)) from None


def _secret_key() -> str:
    if _secret:
        return _secret
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

try:
    _db = dj_database_url.parse(_database_url)
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL: {error}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(str(_db["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while the importer writes; IMMEDIATE avoids
    # deadlocks between two writers that both started by reading.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    _db["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
elif _db["ENGINE"] in {"django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"}:
    _db["ENGINE"] = "django.db.backends.postgresql"
    _db["CONN_MAX_AGE"] = _conn_max_age
    _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured(f"DATABASE_URL: unsupported engine {_db['ENGINE']}")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if MAIL_OUT == "smtp":
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": SMTP_HOST,
            "port": SMTP_PORT,
            "username": SMTP_USER,
            "password": SMTP_PASSWORD,
            "use_tls": SMTP_SECURITY == "starttls",
            "use_ssl": SMTP_SECURITY == "tls",
            "timeout": 30,
        },
    }
elif MAIL_OUT == "anymail":
    if not ANYMAIL_ESP.isidentifier():
        raise ImproperlyConfigured("HANDOFF_ANYMAIL_ESP: name a provider, e.g. postmark")
    _mailer = {"BACKEND": f"anymail.backends.{ANYMAIL_ESP}.EmailBackend"}
elif MAIL_OUT == "file":
    # Django's file backend: each sending connection appends to its own file in the folder.
    _mailer = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(MAIL_DIR)},
    }
else:
    _mailer = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
MAILERS = {"default": _mailer}
ANYMAIL = {
    "WEBHOOK_SECRET": WEBHOOK_SECRET or None,
    "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY or None,
}
if ANYMAIL_ESP:
    ANYMAIL[f"{ANYMAIL_ESP.upper()}_API_KEY"] = ANYMAIL_API_KEY
    ANYMAIL[f"{ANYMAIL_ESP.upper()}_SERVER_TOKEN"] = ANYMAIL_API_KEY

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "anymail",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "handoff.accounts",
    "handoff.mailin",
    "handoff.tickets",
    "handoff.triage",
    "handoff.routing",
    "handoff.desk",
    "handoff.mailout",
    "handoff.ledger",
    "handoff.cockpit",
    "handoff.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "handoff.desk.middleware.PersonalTimeZone",
    "django.contrib.messages.middleware.MessageMiddleware",
    "handoff.accounts.middleware.RequireTwoFactor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "handoff.urls"
WSGI_APPLICATION = "handoff.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "handoff.desk.queues.context",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
# Two-factor sign-in (handoff.accounts.two_factor): the name the apps show; the desk's own
# login throttle counts wrong codes, so django-otp's per-device backoff (which would also
# refuse a right code typed a second after a wrong one) is off; the admin hides the keys.
OTP_TOTP_ISSUER = "Handoff"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "handoff" / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # served from the apps' folders: no collectstatic step

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django.tasks.backends.immediate.ImmediateBackend",
    }
}

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    # imapclient logs whole protocol lines, message contents included, at DEBUG.
    "loggers": {"django.db.backends": {"level": "INFO"}, "imapclient": {"level": "INFO"}},
}
