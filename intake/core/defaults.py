"""Every setting with its default and why; the environment variables that may override them.

intake/core/config.py loads them: these defaults, then instance/config.py, then the
environment. The README's configuration table names the same keys.
"""

from datetime import timedelta

# Environment variables read on top of instance/config.py (documented in README).
ENV_KEYS = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_ENABLED": "bool",
    "RATELIMIT_REPORT": str,
    "RATELIMIT_STATUS": str,
    "RATELIMIT_API": str,
    "RATELIMIT_PARTNER": str,
    "PARTNER_TRUST": int,
    "SPAM_TRUST_THRESHOLD": int,
    "SPAM_TRUST_WINDOW_DAYS": int,
    "SPAM_TRUST_STEP": int,
    "SPAM_TRUST_CAP": int,
    "RATELIMIT_LOGIN": str,
    "RATELIMIT_APPEAL": str,
    "APPEAL_DAYS": int,
    "APP_ENV": str,
    "UPLOAD_DIR": str,
    "MAX_CONTENT_LENGTH": int,
    "API_MAX_BODY": int,
    "PROXY_COUNT": int,
    "LOG_LEVEL": str,
    "SCORING_ENABLED": "bool",
    "MODEL_CHECK_SECONDS": float,
    # Hotline: the key of the caller-number hash (keep it when SECRET_KEY rotates).
    "CALLER_HASH_KEY": str,
    # Jobs and mail (intake/core/jobs.py, intake/notifications/messages.py).
    "JOBS_STORAGE_URI": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": "bool",
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_FROM": str,
    "PUBLIC_URL": str,
    "NEWSROOM_NAME": str,
    "NEWSROOM_URL": str,
    "TIMEZONE": str,
    "HOTLINE_TIMEZONE": str,
    "CLOCK_NOW": str,
    "TRANSPARENCY_PUBLIC": "bool",
}

# The multipart parser reads 64 KB at a time and keeps a boundary's tail: leave room for both.
MIN_FORM_MEMORY = 128 * 1024


class Defaults:
    APP_ENV = "development"
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None  # None -> SQLite file in instance/
    SCHEMA_CHECK = True

    # The newsroom's zone: dates are checked and times shown in it; storage stays UTC.
    TIMEZONE = "Asia/Shanghai"
    CLOCK_NOW: str | None = None  # pins the clock to an ISO time: tests and drills only

    BABEL_DEFAULT_LOCALE = "zh"
    LANGUAGES = ("zh", "en")

    # Three 5 MB files plus the text fields fit; anything larger is refused with 413.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Werkzeug applies this to its multipart parser's buffer too, which holds a whole 64 KB
    # read chunk plus the tail of a possible boundary: at 64 KB any photo with random bytes
    # (CR or LF near a chunk end) was refused. Text fields are bounded by the forms' own
    # length checks, which answer with a message; this only caps memory per text part.
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    API_MAX_BODY = 32 * 1024
    UPLOAD_DIR: str | None = None  # None -> instance/uploads
    MAX_FILES = 3
    MAX_FILE_BYTES = 5 * 1024 * 1024

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down must not stop intake: limits go on per process (Flask-Limiter logs a warning,
    # /healthz says "degraded") and return to Redis once it answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_REPORT = "5 per minute;40 per hour"
    RATELIMIT_STATUS = "30 per minute"
    RATELIMIT_APPEAL = "3 per minute;20 per hour"
    RATELIMIT_API = "20 per minute;200 per hour"
    RATELIMIT_PARTNER = "600 per minute"  # per partner key, in place of RATELIMIT_API
    PROXY_COUNT = 0  # reverse proxies in front that set X-Forwarded-For

    WTF_CSRF_TIME_LIMIT = 3600 * 4
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # None: on in production (served over TLS by the proxy), off in development (plain HTTP).
    SESSION_COOKIE_SECURE: bool | None = None
    HSTS_SECONDS: int | None = None  # None: a year in production, 0 (no header) otherwise

    # Staff sign-in: failures within LOGIN_LOCK_MINUTES block a name from one address (5) or
    # an address for every name (20), counted in the database; sessions end after 8 h or
    # 60 idle minutes.
    RATELIMIT_LOGIN = "10 per minute"
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_LOCK_MINUTES = 15
    PASSWORD_MIN_LENGTH = 12
    # How staff passwords are hashed (werkzeug's method string). Production accepts only
    # scrypt; the test suite uses a fast method, as Django's test settings do.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a password
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    STAFF_IDLE_MINUTES = 60
    AUDIT_PAGE_SIZE = 50
    LOG_LEVEL = "INFO"

    SCORING_ENABLED = True
    MODEL_CHECK_SECONDS = 5.0  # how often a worker asks the database which model is active

    # Model lifecycle: which decisions train a candidate and the gate it must pass.
    MODEL_HOLDOUT_SHARE = 0.2  # the most recent share of decisions is held out for the gate
    MODEL_GATE_MIN_DECISIONS = 30  # decisions behind a candidate before it may replace a model
    MODEL_GATE_MIN_HELD_OUT = 10  # held-out reports needed for a comparison to mean anything
    # How much worse than the active model (on the same held-out set) a candidate may be.
    MODEL_GATE_TOLERANCES = {
        "topic_accuracy": 0.02, "topic_macro_f1": 0.03,
        "actionable_roc_auc": 0.03, "actionable_average_precision": 0.05,
    }

    # Priority = sum of weight x component (each component 0..1); weights sum to 100.
    PRIORITY_WEIGHTS = {
        "actionable": 45, "severity": 20, "demand": 15, "channel": 10, "waiting": 10,
    }
    TOPIC_SEVERITY = {
        "battery-safety": 0.8, "autonomous-driving": 0.8, "policy-standards": 0.6,
        "vehicle-data": 0.6, "industry-market": 0.5, "road-cloud": 0.4, "off-topic": 0.1,
    }
    SAFETY_WORD_SEVERITY = 0.9
    # A report from an active trusted partner (flask partners) adds this many points.
    PARTNER_TRUST = 10
    # Low trust after repeated spam (formula in intake/misuse/trust.py): from THRESHOLD spam cases
    # decided within WINDOW_DAYS, STEP points off per spam case, at most CAP points.
    SPAM_TRUST_THRESHOLD = 3
    SPAM_TRUST_WINDOW_DAYS = 30
    SPAM_TRUST_STEP = 5
    SPAM_TRUST_CAP = 30
    CHANNEL_TRUST = {"hotline": 0.8, "api": 0.5, "web": 0.4}
    PRIORITY_WAITING_FULL_HOURS = 72
    PRIORITY_BANDS = (("P1", 70), ("P2", 50), ("P3", 30))
    SLA_HOURS = {"P1": 4, "P2": 24, "P3": 72, "P4": 168}

    # Hotline: a caller's "risk to safety right now" lifts the case to at least this priority.
    URGENT_PRIORITY_FLOOR = 70
    CALLER_HASH_KEY: str | None = None  # None -> derived from SECRET_KEY
    HOTLINE_COUNTRY_CODE = "86"  # for numbers given without one
    # Call times without an offset are local to the call centre; None -> TIMEZONE.
    HOTLINE_TIMEZONE: str | None = None
    HOTLINE_IMPORT_BATCH = 500  # reports per commit in `flask hotline import`
    # Desk queues: a claim is exclusive for CLAIM_MINUTES, then anyone may take the case.
    CLAIM_MINUTES = 30
    QUEUE_PAGE_SIZE = 50
    QUEUE_COUNT_CAP = 10000  # count at most this many cases per query; beyond, show "n+"

    # Clustering (intake/clustering/operations.py): when a new report joins an open case.
    CLUSTER_ENABLED = True
    CLUSTER_THRESHOLD = 0.5  # similarity (0..1) at which a report joins a case
    CLUSTER_SIGNAL_WEIGHT = 0.3  # share of glossary/number signals in the similarity
    CLUSTER_SIGNAL_THRESHOLD = 0.75  # signal cosine that joins across languages ...
    CLUSTER_SIGNAL_MIN_SHARED = 3  # ... with this many shared signals, two of them specific
    CLUSTER_MIN_CHARS = 20  # shorter texts (a Chinese character counts 3) never join by text
    CLUSTER_INDEX_TERMS = 12  # n-gram terms per case in the case_terms index
    CLUSTER_QUERY_TERMS = 20  # n-gram terms of a new report looked up there
    CLUSTER_POSTINGS = 200  # newest cases read per term: bounds a lookup however big the index
    CLUSTER_CANDIDATES = 12  # cases compared in full per lookup
    CLUSTER_SIMILAR_THRESHOLD = 0.4  # "similar cases" on the case page
    # Claim matching (intake/matching/operations.py): a new report like an already-decided case.
    MATCH_ENABLED = True
    MATCH_THRESHOLD = 0.5  # similarity from which a report matches a decided case
    MATCH_WEIGHT = 0.8  # w in p' = 1 - (1-p)(1-s*w) (false/misleading) or p(1-s*w) (accurate)

    # Job worker (intake/core/jobs.py): None -> SQLite file in instance/; redis://... in production.
    JOBS_STORAGE_URI: str | None = None
    JOBS_WORKERS = 2  # threads running jobs
    JOBS_TICK_SECONDS = 10  # how often the worker looks for periodic jobs that are due
    JOBS_REPRIORITISE_SECONDS = 300  # re-rank open cases and release expired claims
    JOBS_PURGE_SECONDS = 86400  # remove contact details past the retention
    CONTACT_RETENTION_DAYS = 180
    JOBS_DELIVER_SECONDS = 10  # send the outbox messages that are due

    # Reporters' mail (intake/notifications/messages.py): no MAIL_SERVER -> no mail is queued.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM = "Report Desk <noreply@localhost>"
    MAIL_TIMEOUT = 10  # seconds per SMTP connection attempt or command
    MAIL_MAX_ATTEMPTS = 8  # then the message is dead (admins see it at /staff/outbox)
    MAIL_RETRY_SECONDS = 60  # wait after the first failure; doubles each time ...
    MAIL_RETRY_MAX_SECONDS = 3600  # ... up to this
    MAIL_LEASE_SECONDS = 120  # an attempt cut short (worker killed) is retried after this
    MAIL_BATCH = 50  # messages per delivery run
    PUBLIC_URL: str | None = None  # base of links in mail; None -> the request's host
    # Published debunks (intake/publishing/operations.py): the author named in ClaimReview markup
    # and Atom feed. NEWSROOM_URL None -> the site's own address (PUBLIC_URL or the host).
    NEWSROOM_NAME = "Report Desk"
    NEWSROOM_URL: str | None = None
    # /healthz: mail is "degraded" when a message waited longer than this, or any is dead.
    MAIL_HEALTH_MAX_WAIT_MINUTES = 15

    # Appeals (intake/appeals/operations.py): a reporter may appeal a decision within APPEAL_DAYS;
    # the appealed case goes back to the queue with APPEAL_PRIORITY points on top of its own.
    APPEAL_DAYS = 183
    MAX_APPEAL_REASON = 2000
    APPEAL_PRIORITY = 25

    # /transparency: the monthly aggregate figures for everyone (staff always have
    # /staff/transparency). Off: the public page answers 404.
    TRANSPARENCY_PUBLIC = False
