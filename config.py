"""Configuration from the environment, with embedded defaults (DESIGN.md §1)."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _secret_key(instance_dir: Path) -> str:
    """The SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    instance_dir.mkdir(parents=True, exist_ok=True)
    key_file = instance_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production-like defaults: SQLite in instance/, Whoosh in search_index/, in-process Socket.IO."""

    def __init__(self):
        self.INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", INSTANCE_DIR))
        self.SECRET_KEY = _secret_key(self.INSTANCE_DIR)
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "DATABASE_URL", f"sqlite:///{self.INSTANCE_DIR / 'majlis.db'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "whoosh")
        self.SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(BASE_DIR / "search_index"))
        self.SEARCH_INDEXER = os.environ.get("SEARCH_INDEXER", "background")
        # The background indexer and `flask search worker` wait this long after a commit wakes them, so
        # that the replies of the next moments are indexed in one commit of the index (each costs
        # opening every segment and writing one), not one each.
        self.SEARCH_INDEX_SETTLE_SECONDS = float(os.environ.get("SEARCH_INDEX_SETTLE_SECONDS", "0.2"))
        # Deferred jobs (notification fan-out): `background` thread, `worker` (flask jobs worker), `inline`.
        self.JOBS_RUNNER = os.environ.get("JOBS_RUNNER", "background")
        self.JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "5"))
        self.SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
        self.SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "threading")
        # The Redis pub/sub channel of this site's instances: two sites sharing one Redis must differ.
        self.SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "majlis")
        # Presence and typing live in Redis when SOCKETIO_MESSAGE_QUEUE is redis://; keys start with this.
        self.PRESENCE_KEY_PREFIX = os.environ.get("PRESENCE_KEY_PREFIX", "majlis:presence:")
        # Rendered posts (app/core/fragments.py): this many in each process; with a redis:// URL, also
        # shared by the instances in Redis for FRAGMENT_CACHE_TTL seconds.
        # Whole pages for anonymous visitors, per process, until the next write (app/core/page_cache.py).
        self.PAGE_CACHE_BYTES = int(os.environ.get("PAGE_CACHE_BYTES", str(32 * 1024 * 1024)))
        self.FRAGMENT_CACHE_ENTRIES = int(os.environ.get("FRAGMENT_CACHE_ENTRIES", "5000"))
        self.FRAGMENT_CACHE_URL = os.environ.get("FRAGMENT_CACHE_URL") or None
        self.FRAGMENT_CACHE_TTL = int(os.environ.get("FRAGMENT_CACHE_TTL", "86400"))
        self.FRAGMENT_CACHE_PREFIX = os.environ.get("FRAGMENT_CACHE_PREFIX", "majlis:fragment:")
        # Uploads (app/files): where blobs live, the largest file, a member's bytes a day, files per item.
        self.UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or None  # None: INSTANCE_DIR/uploads
        # "local" (UPLOAD_DIR) or "s3": a bucket on an S3-compatible server, shared by every instance.
        self.UPLOAD_STORAGE = os.environ.get("UPLOAD_STORAGE", "local")
        self.S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None  # None: Amazon S3 itself
        self.S3_BUCKET = os.environ.get("S3_BUCKET", "")
        self.S3_PREFIX = os.environ.get("S3_PREFIX", "uploads/")
        self.S3_REGION = os.environ.get("S3_REGION", "us-east-1")
        self.S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID") or None  # None: boto3's usual chain
        self.S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY") or None
        # A ClamAV daemon (Unix socket path or host:port): files wait in quarantine until it calls them clean.
        self.CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
        self.UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
        self.UPLOAD_DAILY_BYTES = int(os.environ.get("UPLOAD_DAILY_BYTES", str(200 * 1024 * 1024)))
        self.UPLOAD_MAX_FILES = int(os.environ.get("UPLOAD_MAX_FILES", "10"))
        self.UPLOAD_MAX_ITEM_BYTES = int(os.environ.get("UPLOAD_MAX_ITEM_BYTES", str(50 * 1024 * 1024)))
        self.UPLOAD_IMAGE_MAX_PIXELS = int(os.environ.get("UPLOAD_IMAGE_MAX_PIXELS", str(40_000_000)))
        # What posts take: images and documents (MIME types, comma-separated).
        self.UPLOAD_TYPES_POST = os.environ.get(
            "UPLOAD_TYPES_POST",
            "image/png,image/jpeg,image/webp,application/pdf,text/plain,"
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
            "application/vnd.openxmlformats-officedocument.presentationml.presentation,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
            "application/vnd.oasis.opendocument.text",
        )
        # Text extraction (a child process per document): pages read at most, seconds, memory.
        self.UPLOAD_EXTRACT_MAX_PAGES = int(os.environ.get("UPLOAD_EXTRACT_MAX_PAGES", "500"))
        self.UPLOAD_EXTRACT_SECONDS = float(os.environ.get("UPLOAD_EXTRACT_SECONDS", "60"))
        self.UPLOAD_EXTRACT_MEMORY_BYTES = int(
            os.environ.get("UPLOAD_EXTRACT_MEMORY_BYTES", str(1024 * 1024 * 1024))
        )
        # What formal contributions take: documents, and images (a poster, a scanned letter).
        self.UPLOAD_TYPES_CONTRIBUTION = os.environ.get("UPLOAD_TYPES_CONTRIBUTION", self.UPLOAD_TYPES_POST)
        self.HOST = os.environ.get("HOST", "127.0.0.1")
        self.PORT = int(os.environ.get("PORT", "5000"))
        # Absolute links in mail (and anything else read away from the site) start with this.
        self.SITE_URL = os.environ.get("SITE_URL", f"http://{self.HOST}:{self.PORT}").rstrip("/")
        self.SITE_NAME = os.environ.get("SITE_NAME", "Majlis")
        # Outbound mail (app/mail): SMTP when MAIL_SERVER is set, else each message is written as an
        # .eml file under MAIL_FILE_DIR and its subject and links are logged.
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
        self.MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
        self.MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Majlis <noreply@localhost>")
        self.MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))
        # Tries per message over SMTP errors that may pass (2 s, 4 s, ... doubling, at most an hour apart).
        self.MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "16"))
        self.MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR") or None  # None: INSTANCE_DIR/mail
        # Reply by email: notification mails about a thread carry reply+<token>@MAIL_REPLY_DOMAIN
        # (unset: no reply address). MAIL_INBOUND_PORT: the web process itself receives those
        # replies over SMTP on 127.0.0.1 (embedded default; scale-out runs `flask mail inbound`).
        self.MAIL_REPLY_DOMAIN = os.environ.get("MAIL_REPLY_DOMAIN") or None
        self.MAIL_INBOUND_HOST = os.environ.get("MAIL_INBOUND_HOST", "127.0.0.1")
        self.MAIL_INBOUND_PORT = int(os.environ.get("MAIL_INBOUND_PORT", "0")) or None
        self.MAIL_INBOUND_MAX_BYTES = int(os.environ.get("MAIL_INBOUND_MAX_BYTES", str(256 * 1024)))
        # Digests go out from this hour of the morning in each member's time zone.
        self.DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))
        # How often the embedded default's digest thread looks for members whose digest is due.
        self.DIGEST_POLL_SECONDS = float(os.environ.get("DIGEST_POLL_SECONDS", "300"))
        # Notifications mailed "at once" wait this long, so that several replies make one message.
        self.MAIL_BATCH_SECONDS = int(os.environ.get("MAIL_BATCH_SECONDS", "120"))
        # Accounts: whether an unconfirmed address may post, and how long account links stay valid.
        self.REQUIRE_EMAIL_CONFIRMATION = _bool("REQUIRE_EMAIL_CONFIRMATION", True)
        self.EMAIL_CONFIRMATION_MAX_AGE = int(os.environ.get("EMAIL_CONFIRMATION_MAX_AGE", str(7 * 86400)))
        self.PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
        # werkzeug generate_password_hash method for new and changed passwords.
        self.PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.WTF_CSRF_TIME_LIMIT = None
        self.BABEL_DEFAULT_LOCALE = "en"
        self.LANGUAGES = ["en", "ar", "zh", "fr", "ru", "es"]
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10/5 minutes")
        self.RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "5/hour")
        # Password-reset and confirmation-mail requests, per client address and per account named.
        self.RATELIMIT_ACCOUNT_MAIL = os.environ.get("RATELIMIT_ACCOUNT_MAIL", "5/hour")
        self.RATELIMIT_NEW_THREAD = os.environ.get("RATELIMIT_NEW_THREAD", "10/hour")
        self.RATELIMIT_REPLY = os.environ.get("RATELIMIT_REPLY", "30/minute")
        self.RATELIMIT_READ = os.environ.get("RATELIMIT_READ", "120/minute")
        self.RATELIMIT_REACT = os.environ.get("RATELIMIT_REACT", "60/minute")
        self.RATELIMIT_DRAFT = os.environ.get("RATELIMIT_DRAFT", "120/minute")
        self.RATELIMIT_SUPPORT = os.environ.get("RATELIMIT_SUPPORT", "30/minute")
        self.RATELIMIT_SEARCH = os.environ.get("RATELIMIT_SEARCH", "60/minute")
        self.RATELIMIT_PDF = os.environ.get("RATELIMIT_PDF", "10/minute")
        self.RATELIMIT_REPORT = os.environ.get("RATELIMIT_REPORT", "20/hour")
        self.RATELIMIT_LOGIN_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "10/15 minutes")
        self.RATELIMIT_MODERATION = os.environ.get("RATELIMIT_MODERATION", "120/minute")
        # Addresses many people share (a meeting venue's NAT, a trusted proxy): no per-address limits there.
        self.RATELIMIT_TRUSTED_NETWORKS = os.environ.get("RATELIMIT_TRUSTED_NETWORKS", "")
        # Reverse proxies in front of the app (nginx: 1) whose X-Forwarded-For is believed; 0 ignores it.
        self.TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
        # Socket events (join, replay, leave, typing) per signed-in user, and per address for anonymous
        # clients, however many connections or reconnects they use.
        self.RATELIMIT_SOCKET_EVENTS = os.environ.get("RATELIMIT_SOCKET_EVENTS", "120/minute")
        self.RATELIMIT_SOCKET_EVENTS_ANONYMOUS = os.environ.get(
            "RATELIMIT_SOCKET_EVENTS_ANONYMOUS", "600/minute"
        )
        # Moderation and abuse limits (defaults follow Discourse's site settings).
        self.REPORT_HIDE_THRESHOLD = int(os.environ.get("REPORT_HIDE_THRESHOLD", "3"))
        self.NEW_USER_ACCEPTED_POSTS = int(os.environ.get("NEW_USER_ACCEPTED_POSTS", "3"))
        self.NEW_USER_ACCEPTED_AFTER_SECONDS = int(os.environ.get("NEW_USER_ACCEPTED_AFTER_SECONDS", "86400"))
        self.NEW_USER_MAX_LINKS = int(os.environ.get("NEW_USER_MAX_LINKS", "2"))
        self.NEW_USER_MAX_THREADS_PER_DAY = int(os.environ.get("NEW_USER_MAX_THREADS_PER_DAY", "3"))
        self.DUPLICATE_POST_WINDOW_SECONDS = int(os.environ.get("DUPLICATE_POST_WINDOW_SECONDS", "300"))
        # Approval (Discourse's approve_post_count and must_approve_users); 0 / off keeps posting open.
        self.APPROVE_POST_COUNT = int(os.environ.get("APPROVE_POST_COUNT", "0"))
        self.MUST_APPROVE_USERS = _bool("MUST_APPROVE_USERS", False)
        self.POSTS_PER_PAGE = int(os.environ.get("POSTS_PER_PAGE", "50"))
        # How long after starting a thread its author may still change its title.
        self.THREAD_TITLE_EDIT_MINUTES = int(os.environ.get("THREAD_TITLE_EDIT_MINUTES", "1440"))
        # Posts older than this many days count as read to every member (New, Unread, the counts).
        self.UNREAD_WINDOW_DAYS = int(os.environ.get("UNREAD_WINDOW_DAYS", "30"))
        # Webhooks: endpoints on loopback or private networks are refused unless this is set (tests).
        self.WEBHOOK_ALLOW_PRIVATE = os.environ.get("WEBHOOK_ALLOW_PRIVATE", "0") == "1"
        self.WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
        self.WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "12"))
        self.WEBHOOK_DISABLE_AFTER = int(os.environ.get("WEBHOOK_DISABLE_AFTER", "20"))
        # Single sign-on with the organisation's OpenID Connect provider (off unless the issuer is set).
        self.OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
        self.OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
        self.OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
        self.OIDC_NAME = os.environ.get("OIDC_NAME", "")
        self.THREADS_PER_PAGE = int(os.environ.get("THREADS_PER_PAGE", "25"))
        self.ROOM_EVENT_HISTORY = int(os.environ.get("ROOM_EVENT_HISTORY", "500"))
        self.AUTO_MIGRATE = _bool("AUTO_MIGRATE", True)
        # Request bodies past this many bytes are refused (413) before they are read or parsed; the
        # text fields of one form may use all of it (Werkzeug's own form limit is lower, 500 KB).
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
        self.MAX_FORM_MEMORY_SIZE = self.MAX_CONTENT_LENGTH
        # Only the first this-many people @mentioned in a post are notified (Discourse's max_mentions_per_post).
        self.MAX_MENTION_NOTIFICATIONS = int(os.environ.get("MAX_MENTION_NOTIFICATIONS", "10"))


class DevelopmentConfig(Config):
    """Config for `make run`."""


class TestConfig(Config):
    __test__ = False  # not a pytest test class

    """Isolated, inert side channels: temp database and index, no rate limits unless a test asks."""

    def __init__(self, tmp_dir: Path | None = None):
        os.environ.setdefault("SECRET_KEY", "test-secret-key")
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key"
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
        if tmp_dir is not None:
            self.INSTANCE_DIR = tmp_dir
            self.SEARCH_INDEX_DIR = str(tmp_dir / "search_index")
        self.SEARCH_INDEXER = "inline"
        self.JOBS_RUNNER = "inline"
        # Factories make members who never open a confirmation mail; the confirmation tests ask for it.
        self.REQUIRE_EMAIL_CONFIRMATION = False
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_ENABLED = False
        # Abuse limits off unless a test asks (factories post many similar posts from new accounts).
        self.NEW_USER_ACCEPTED_POSTS = 0
        self.DUPLICATE_POST_WINDOW_SECONDS = 0
        self.AUTO_MIGRATE = False
        # Hashing a password with scrypt costs tens of milliseconds; thousands of test sign-ups add up.
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
        # The tests' webhook receivers listen on 127.0.0.1.
        self.WEBHOOK_ALLOW_PRIVATE = True
