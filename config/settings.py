"""The one settings module. Everything that differs between machines comes from the environment.

Defaults give the embedded setup: SQLite under ``var/`` (WAL, busy_timeout, IMMEDIATE
transactions) and Huey on SQLite. ``DATABASE_URL`` switches to PostgreSQL; ``AFTERSALES_ENV=production``
turns on the hardened settings that ``manage.py check --deploy`` expects.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import envbool, envchoice, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("AFTERSALES_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENVIRONMENT = envstr("AFTERSALES_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured("AFTERSALES_ENV must be development, production or test")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = envbool("DEBUG", not PRODUCTION)
SECRET_KEY = envstr("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required in production")
    # Development only: a key stored beside the database, created on first start, never committed.
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key(), encoding="utf-8")
    SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_htmx",
    "template_partials",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "huey.contrib.djhuey",
    "aftersales.core",
    "aftersales.accounts",
    "aftersales.configuration",
    "aftersales.customers",
    "aftersales.equipment",
    "aftersales.contracts",
    "aftersales.servicedesk",
    "aftersales.notifications",
    "aftersales.workorders",
    "aftersales.dailyreports",
    "aftersales.parts",
    "aftersales.billing",
    "aftersales.feedback",
    "aftersales.care",
    "aftersales.complaints",
    "aftersales.returns",
    "aftersales.sanbao",
    "aftersales.performance",
    "aftersales.reports",
    "aftersales.portal",
    "aftersales.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aftersales.core.middleware.PrivateNoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aftersales.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "aftersales.core.errorpages.ErrorReferenceMiddleware",
    "aftersales.core.middleware.RefuseNulCharactersMiddleware",
    "axes.middleware.AxesMiddleware",
    "aftersales.core.clients.AddressBlockedMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Guessing is stopped before a password is checked: per client address, then per account (core.clients).
    "aftersales.core.clients.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "aftersales.notifications.context_processors.notices",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("TEST", {})["CHARSET"] = "UTF8"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("SQLITE_PATH", str(VAR_DIR / "aftersales.sqlite3")),
            # A file for the test database lets `pytest --reuse-db` skip the migrations on the next run.
            "TEST": {"NAME": envstr("SQLITE_TEST_PATH", "")} if envstr("SQLITE_TEST_PATH", "") else {},
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue on busy_timeout
            # instead of failing with "database is locked" half-way through a transaction.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True  # stored in UTC, shown in Asia/Shanghai

# --- Static and media ----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"  # never served: every stored file is private (core.files)
MEDIA_ROOT = VAR_DIR / "media"
# Private files (photos, claim evidence, exports, imports): outside any public directory, served by permission-checked
# views. PRIVATE_FILES_SERVE: "django" streams them, "x-accel" hands them to nginx (internal location under
# PRIVATE_FILES_ACCEL_PREFIX, see README "Security"), "redirect" sends a signed URL of S3-compatible storage
# (PRIVATE_STORAGE_BACKEND=storages.backends.s3.S3Storage with django-storages installed and its AWS_* settings).
PRIVATE_FILES_ROOT = Path(envstr("PRIVATE_FILES_ROOT", str(VAR_DIR / "private")))
PRIVATE_FILES_SERVE = envchoice("PRIVATE_FILES_SERVE", "django", ["django", "x-accel", "redirect"])
PRIVATE_FILES_ACCEL_PREFIX = envstr("PRIVATE_FILES_ACCEL_PREFIX", "/protected/")
UPLOAD_MAX_IMAGE_MB = envint("UPLOAD_MAX_IMAGE_MB", 8)
UPLOAD_MAX_IMAGE_PIXELS = envint("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)
UPLOAD_IMAGE_MAX_SIDE = envint("UPLOAD_IMAGE_MAX_SIDE", 2560)
UPLOAD_MAX_DOCUMENT_MB = envint("UPLOAD_MAX_DOCUMENT_MB", 10)
IMPORT_MAX_MB = envint("IMPORT_MAX_MB", 5)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_CELLS = envint("IMPORT_MAX_CELLS", 1_000_000)
IMPORT_KEEP_HOURS = envint("IMPORT_KEEP_HOURS", 24)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": envstr("PRIVATE_STORAGE_BACKEND", "aftersales.core.files.PrivateFileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- REST API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "aftersales.api.pagination.Pagination",
    # The API speaks JSON (no form or multipart bodies: nothing in it uploads a file).
    "DEFAULT_PARSER_CLASSES": ["aftersales.api.parsers.TextJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "aftersales.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": envstr("API_TOKEN_THROTTLE", "20/min")},
    # The client address for throttles: X-Forwarded-For only as far as our own proxies wrote it.
    "NUM_PROXIES": envint("TRUSTED_PROXY_COUNT", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Aftersales API",
    "DESCRIPTION": "售后服务管理系统 REST API (v1)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "aftersales.api.schema.document_every_error"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Self-hosted Swagger UI: a customer intranet often has no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ZoneEnum": "aftersales.accounts.models.Zone", "CategoryEnum": "aftersales.servicedesk.models.Category",
        "RequestStatusEnum": "aftersales.servicedesk.models.Status", "WorkOrderStatusEnum": "aftersales.workorders.models.Status",
        "TechnicianReportStatusEnum": "aftersales.dailyreports.models.TechStatus",
        "SupervisorReportStatusEnum": "aftersales.dailyreports.models.SupervisorStatus",
        "CustomerKindEnum": "aftersales.customers.models.CustomerKind", "ChargeKindEnum": "aftersales.billing.models.LineKind",
        "InvoiceKindEnum": "aftersales.billing.models.InvoiceKind",
        "OpinionLevelEnum": "aftersales.feedback.models.Level",
        "ComplaintKindEnum": "aftersales.complaints.models.ComplaintKind",
    },
}
API_MAX_PAGE_SIZE = envint("API_MAX_PAGE_SIZE", 200)
# How long the API remembers the answer to a write sent with an Idempotency-Key (api.idempotency).
API_IDEMPOTENCY_HOURS = envint("API_IDEMPOTENCY_HOURS", 24)

# --- Cache: shared by every process (API throttles): Redis when there is one, else a table in the database ---------
CACHES = {"default": ({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": envstr("REDIS_URL", "")}
                      if envstr("REDIS_URL", "") else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "aftersales_cache"})}

# --- Background work (Huey) ----------------------------------------------------------------
HUEY_IMMEDIATE = envbool("HUEY_IMMEDIATE", False)
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "aftersales", "url": REDIS_URL, "immediate": HUEY_IMMEDIATE}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "aftersales",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
# How often the SLA sweeper runs, in minutes.
SLA_SWEEP_MINUTES = envint("SLA_SWEEP_MINUTES", 5)
# How often a process checks whether the national calendar (or another cached data set) changed elsewhere.
SNAPSHOT_CHECK_SECONDS = envint("SNAPSHOT_CHECK_SECONDS", 2)

# --- Service-level defaults (seed values; each service centre may override in the database) --
SLA_ARRIVAL_HOURS_URBAN = envint("SLA_ARRIVAL_HOURS_URBAN", 6)  # DISP-02, 001:55
SLA_ARRIVAL_HOURS_SUBURBAN = envint("SLA_ARRIVAL_HOURS_SUBURBAN", 7)  # DISP-02, 001:55
SLA_ARRIVAL_HOURS_REMOTE = envint("SLA_ARRIVAL_HOURS_REMOTE", 14)  # seeds silent: two working days
SLA_CONTACT_HOURS = envint("SLA_CONTACT_HOURS", 24)  # DISP-05, 003:181 (clock hours)
SLA_NEAR_DUE_PERCENT = envint("SLA_NEAR_DUE_PERCENT", 75)
# Taken-back items are returned within this many working days (DISP-06, 002:125); per centre too.
TAKEBACK_RETURN_WORKING_DAYS = envint("TAKEBACK_RETURN_WORKING_DAYS", 3)
# Largest signature image accepted (bytes of PNG).
SIGNATURE_MAX_BYTES = envint("SIGNATURE_MAX_BYTES", 512 * 1024)
# Daily reports (DRPT-01/02) are due this many working hours into the next working day.
TECH_REPORT_DUE_WORKING_HOURS = envint("TECH_REPORT_DUE_WORKING_HOURS", 1)
SUPERVISOR_REPORT_DUE_WORKING_HOURS = envint("SUPERVISOR_REPORT_DUE_WORKING_HOURS", 3)
# Default business hours "HH:MM-HH:MM,HH:MM-HH:MM" for centres that define none.
DEFAULT_WORKING_HOURS = envstr("DEFAULT_WORKING_HOURS", "08:30-12:00,13:30-17:30")

# --- Parts and billing ---------------------------------------------------------------------
# INTK-09: paid (A) work is finished or repaired only after the customer accepted the price.
PAID_WORK_NEEDS_ACCEPTANCE = envbool("PAID_WORK_NEEDS_ACCEPTANCE", True)
# Tax rate put on new charge and quotation lines (VAT on repair services and goods).
DEFAULT_TAX_RATE = envstr("DEFAULT_TAX_RATE", "0.13")
# A discount above this share of a line's amount waits for a supervisor's approval (BILL-05).
DISCOUNT_APPROVAL_PERCENT = envint("DISCOUNT_APPROVAL_PERCENT", 10)
# Invoices are due this many days after issue (receivables ageing).
INVOICE_PAYMENT_DAYS = envint("INVOICE_PAYMENT_DAYS", 30)
# Quotations stay valid this many days.
QUOTATION_VALID_DAYS = envint("QUOTATION_VALID_DAYS", 30)
# ABC classification of parts by consumption value: A up to this cumulative share, B up to the next.
PARTS_ABC_A_PERCENT = envint("PARTS_ABC_A_PERCENT", 80)
PARTS_ABC_B_PERCENT = envint("PARTS_ABC_B_PERCENT", 95)
# Warranty-claim approval rate target (PART-01 KPI).
CLAIM_APPROVAL_TARGET_PERCENT = envint("CLAIM_APPROVAL_TARGET_PERCENT", 95)

# --- Messages to customers and staff (outbox) -------------------------------------------------
# Links in SMS, e-mail and WeChat messages start with this address.
PUBLIC_BASE_URL = envstr("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION
                       else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "售后服务 <service@localhost>")
# SMS: "console" records the text in the outbox only (development, demo); "http" uses the gateway below.
SMS_BACKEND = envstr("SMS_BACKEND", "console")
if SMS_BACKEND not in {"console", "http"}:
    raise ImproperlyConfigured("SMS_BACKEND must be console or http")
SMS_API_URL = envstr("SMS_API_URL", "")
SMS_ACCESS_KEY = envstr("SMS_ACCESS_KEY", "")
SMS_ACCESS_SECRET = envstr("SMS_ACCESS_SECRET", "")
SMS_SIGN_NAME = envstr("SMS_SIGN_NAME", "售后服务")
SMS_TIMEOUT = envint("SMS_TIMEOUT", 5)
WECHAT_API_URL = envstr("WECHAT_API_URL", "https://api.weixin.qq.com")
WECHAT_APP_ID = envstr("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = envstr("WECHAT_APP_SECRET", "")
WECHAT_TEMPLATE_ID = envstr("WECHAT_TEMPLATE_ID", "")
# No SMS, WeChat or calls to customers in these hours (VIS-11); each customer may add rest hours.
QUIET_HOURS = envstr("QUIET_HOURS", "21:00-08:00")
MESSAGE_MAX_ATTEMPTS = envint("MESSAGE_MAX_ATTEMPTS", 6)
MESSAGE_RETRY_BASE_SECONDS = envint("MESSAGE_RETRY_BASE_SECONDS", 60)
MESSAGE_LEASE_SECONDS = envint("MESSAGE_LEASE_SECONDS", 120)
# Staff get their notices by e-mail too, folded into one digest per this many minutes.
STAFF_EMAIL_NOTICES = envbool("STAFF_EMAIL_NOTICES", True)
STAFF_DIGEST_MINUTES = envint("STAFF_DIGEST_MINUTES", 60)

# Customers hear of each step of their request (registered, engineer assigned, on the way, done).
CUSTOMER_PROGRESS_MESSAGES = envbool("CUSTOMER_PROGRESS_MESSAGES", True)
# The time window shown to the customer after an agreed visit time, in minutes.
VISIT_WINDOW_MINUTES = envint("VISIT_WINDOW_MINUTES", 120)

# --- Customer self-service portal (QR labels, tracking, phone login) ------------------------
PORTAL_CODE_TTL_MINUTES = envint("PORTAL_CODE_TTL_MINUTES", 10)
PORTAL_CODE_MAX_ATTEMPTS = envint("PORTAL_CODE_MAX_ATTEMPTS", 5)
# Abuse limits: one-time codes per phone and per address per hour, fault reports per label and per address per day.
PORTAL_CODES_PER_PHONE_PER_HOUR = envint("PORTAL_CODES_PER_PHONE_PER_HOUR", 5)
PORTAL_CODES_PER_IP_PER_HOUR = envint("PORTAL_CODES_PER_IP_PER_HOUR", 20)
PORTAL_REPORTS_PER_TOKEN_PER_DAY = envint("PORTAL_REPORTS_PER_TOKEN_PER_DAY", 5)
PORTAL_REPORTS_PER_IP_PER_DAY = envint("PORTAL_REPORTS_PER_IP_PER_DAY", 10)
# Scans of unknown labels from one address per hour before it is refused (guessing tokens).
PORTAL_MISSES_PER_IP_PER_HOUR = envint("PORTAL_MISSES_PER_IP_PER_HOUR", 20)
# A customer's portal login lasts this many hours.
PORTAL_SESSION_HOURS = envint("PORTAL_SESSION_HOURS", 12)
# The service hotline printed on QR labels.
SERVICE_HOTLINE = envstr("SERVICE_HOTLINE", "400-000-0000")

# --- Opinion cards (SURV) -----------------------------------------------------------------------
# Cards go out the day after the call was closed, at this local time (a call closed before is carded at once).
OPINION_CARD_SEND_TIME = envstr("OPINION_CARD_SEND_TIME", "10:00")
# When cards are first switched on, calls closed up to this many days ago still get one.
OPINION_CARD_LOOKBACK_DAYS = envint("OPINION_CARD_LOOKBACK_DAYS", 7)
# A rating at or below this level opens a call back; at or below OPINION_SERIOUS_LEVEL a complaint is serious.
OPINION_LOW_SCORE_LEVEL = envint("OPINION_LOW_SCORE_LEVEL", 2)
OPINION_SERIOUS_LEVEL = envint("OPINION_SERIOUS_LEVEL", 1)
# VIS-10: opinions are answered within a week; the supervisor visit and the call back have their own days.
FEEDBACK_REPLY_DAYS = envint("FEEDBACK_REPLY_DAYS", 7)
SUPERVISOR_VISIT_DAYS = envint("SUPERVISOR_VISIT_DAYS", 7)
LOW_SCORE_CALL_DAYS = envint("LOW_SCORE_CALL_DAYS", 2)

# --- Return visits and reminders (VIS) ----------------------------------------------------------
# The same customer is not contacted twice within this many days (VIS-01: duplicate contacts are blocked).
VISIT_DEDUP_DAYS = envint("VISIT_DEDUP_DAYS", 7)
# A sweeper that missed days (server down) still plans visits and reminders this many days late.
CARE_CATCHUP_DAYS = envint("CARE_CATCHUP_DAYS", 3)
# VIS-12: the daily target of visits per agent (shown on the due list and in the reports).
VISITS_PER_AGENT_PER_DAY = envint("VISITS_PER_AGENT_PER_DAY", 50)

# --- Maintenance contracts (CON) ----------------------------------------------------------------
# CON-02: the expiry notice and the renewal task come this many days before the end.
CONTRACT_NOTICE_DAYS = envint("CONTRACT_NOTICE_DAYS", 30)
# A planned preventive visit becomes a call this many days ahead, so it is dispatched in time.
CONTRACT_VISIT_LEAD_DAYS = envint("CONTRACT_VISIT_LEAD_DAYS", 7)
# The hour a planned visit is requested for, on its day.
CONTRACT_VISIT_TIME = envstr("CONTRACT_VISIT_TIME", "09:00")

# --- Complaints (CMP) ---------------------------------------------------------------------------
# CMP-02: case numbers are YYMM + a serial of this width restarting every month.
COMPLAINT_SERIAL_WIDTH = envint("COMPLAINT_SERIAL_WIDTH", 3)
# CMP-11: close within these days from acceptance.
COMPLAINT_DAYS_DOMESTIC = envint("COMPLAINT_DAYS_DOMESTIC", 13)
COMPLAINT_DAYS_FOREIGN = envint("COMPLAINT_DAYS_FOREIGN", 17)
# CMP-04: the joint survey's report is due within these days.
COMPLAINT_SURVEY_DAYS = envint("COMPLAINT_SURVEY_DAYS", 3)
# CMP-13: last month's statistics are due by this day of the month.
COMPLAINT_STATISTICS_DAY = envint("COMPLAINT_STATISTICS_DAY", 10)
# CMP-18: a warning from this amount, a minor demerit from this amount per base unit (基数).
PENALTY_WARNING_AMOUNT = envint("PENALTY_WARNING_AMOUNT", 400)
PENALTY_MINOR_DEMERIT_AMOUNT = envint("PENALTY_MINOR_DEMERIT_AMOUNT", 800)
# CMP-21: at most this share of a month's efficiency bonus is deducted; the rest carries over.
PENALTY_CAP_PERCENT = envint("PENALTY_CAP_PERCENT", 50)
# CMP-26: target of the major-complaint rate.
MAJOR_COMPLAINT_TARGET_PERCENT = envint("MAJOR_COMPLAINT_TARGET_PERCENT", 1)

# --- Returns (RET) -------------------------------------------------------------------------------
# RET-13: settle within these days of arrival; past these days the party causing the delay pays.
RETURN_SETTLE_DAYS = envint("RETURN_SETTLE_DAYS", 5)
RETURN_ESCALATE_DAYS = envint("RETURN_ESCALATE_DAYS", 30)
RETURN_DELAY_FEE = envint("RETURN_DELAY_FEE", 50)
# RET-16: more than approved is posted when within this share over the approval (the customer's acceptance ratio).
RETURN_OVER_QUANTITY_PERCENT = envint("RETURN_OVER_QUANTITY_PERCENT", 5)
# RET-07: deductions for missing packaging.
RETURN_BAG_DEDUCTION = envint("RETURN_BAG_DEDUCTION", 5)
RETURN_BOX_DEDUCTION_PERCENT = envint("RETURN_BOX_DEDUCTION_PERCENT", 20)
# RET-11 / RET-14: a salesperson's monthly return rate cap, and the batch share that counts as overdraft selling.
RETURN_RATE_CAP_PERCENT = envstr("RETURN_RATE_CAP_PERCENT", "2.5")
RETURN_OVERDRAFT_PERCENT = envint("RETURN_OVERDRAFT_PERCENT", 10)

# --- Performance (KPI) ----------------------------------------------------------------------------
# KPI-10: superiors review by this day of the next month, score sheets reach HR before this day.
KPI_REVIEW_DAY = envint("KPI_REVIEW_DAY", 3)
KPI_HR_DAY = envint("KPI_HR_DAY", 8)
# KPI-10: a late self-report costs this share of the score.
KPI_LATE_SELF_REPORT_PERCENT = envint("KPI_LATE_SELF_REPORT_PERCENT", 10)
# KPI-03: points an absent day costs (a half day counts as a full one).
KPI_ATTENDANCE_POINTS_PER_DAY = envint("KPI_ATTENDANCE_POINTS_PER_DAY", 4)
# KPI-05: the monthly pay's shares — base, plan (× completion), daily work (× score).
KPI_PAY_BASE_PERCENT = envint("KPI_PAY_BASE_PERCENT", 50)
KPI_PAY_PLAN_PERCENT = envint("KPI_PAY_PLAN_PERCENT", 35)
KPI_PAY_DAILY_PERCENT = envint("KPI_PAY_DAILY_PERCENT", 15)
# KPI-08: below this score the performance bonus loses this share.
KPI_BONUS_CUT_BELOW = envint("KPI_BONUS_CUT_BELOW", 60)
KPI_BONUS_CUT_PERCENT = envint("KPI_BONUS_CUT_PERCENT", 30)
# KPI-09: 5 A's in a row or 8 A's in a year raise next year's pay 5 %; 10 A's raise it 10 %.
KPI_STREAK_RUN = envint("KPI_STREAK_RUN", 5)
KPI_STREAK_COUNT = envint("KPI_STREAK_COUNT", 8)
KPI_STREAK_RAISE = envint("KPI_STREAK_RAISE", 5)
KPI_STREAK_TOP_COUNT = envint("KPI_STREAK_TOP_COUNT", 10)
KPI_STREAK_TOP_RAISE = envint("KPI_STREAK_TOP_RAISE", 10)
# COST: warn when a cost category reaches this share of its monthly quota.
COST_WARNING_PERCENT = envint("COST_WARNING_PERCENT", 90)
# RPT-04: a machine back within this many days of its call's closing counts as rework.
REWORK_DAYS = envint("REWORK_DAYS", 30)

# --- Printed forms ---------------------------------------------------------------------------
# The company name printed at the top of vouchers, receipts and repair cards.
COMPANY_NAME = envstr("COMPANY_NAME", "Aftersales 售后服务中心")

# --- Security ------------------------------------------------------------------------------
# Reverse proxies of our own in front of the application (nginx: 1). The client address is what the outermost of them
# saw; nothing a client writes into X-Forwarded-For counts (core.clients).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# Logins (staff, admin, API token): an account is locked after LOGIN_FAILURE_LIMIT wrong passwords, an address after
# LOGIN_FAILURES_PER_ADDRESS over any accounts, for LOGIN_LOCKOUT_MINUTES (django-axes, counted in the database).
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "aftersales.core.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "aftersales.core.clients.lockout_response"
AXES_VERBOSE = False
# Axes locks accounts; addresses are throttled by AddressThrottleBackend with a higher limit (an office behind one
# NAT must not be locked out by one forgetful colleague), so axes' "add ip_address" advice does not apply.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# A staff login lasts a working day (hours); a customer's portal login PORTAL_SESSION_HOURS.
SESSION_COOKIE_AGE = envint("SESSION_HOURS", 10) * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts only from our own static files — no inline script or event handler
# anywhere (static/js/behaviours.js wires confirmations and auto-submitting selects from data- attributes), no eval.
# Inline style attributes remain allowed (layout tweaks in templates; they cannot run code). Images may be data: URIs
# (QR codes, drawn signatures) or blob: (a photo previewed before upload). Nothing may frame our pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"huey": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
                "mail.log": {"level": "WARNING"}},
}

PHONENUMBER_DEFAULT_REGION = "CN"
PHONENUMBER_DB_FORMAT = "E164"

# --- Test overrides ------------------------------------------------------------------------
TESTING = ENVIRONMENT == "test" or "pytest" in sys.modules
if TESTING:
    # Files the tests upload go to a directory of their own, not the installation's.
    import tempfile

    PRIVATE_FILES_ROOT = Path(tempfile.gettempdir()) / "aftersales-test-private"
    STORAGES["private"] = {"BACKEND": "aftersales.core.files.PrivateFileSystemStorage", "OPTIONS": {"location": PRIVATE_FILES_ROOT}}
    # Each test starts with fresh process copies (conftest); a time-based check would make query counts depend on timing.
    SNAPSHOT_CHECK_SECONDS = None
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    HUEY["immediate"] = True
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"token": "1000/min"}
