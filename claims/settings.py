"""Configuration, read once from the environment (prefix ``CLAIMS_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"


class Settings(BaseSettings):
    """Every knob the service has, with defaults that run locally."""

    model_config = SettingsConfigDict(env_prefix="CLAIMS_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///claims.db",
        description="Any SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user@host/db",
    )
    echo_sql: bool = False
    seeds_dir: Path = SEEDS_DIR
    max_question_chars: int = Field(default=500, ge=10)
    max_text_chars: int = Field(default=200_000, ge=1000)
    max_page_size: int = Field(default=200, ge=1)
    actor: str = Field(default="", description="Actor recorded in the audit trail for CLI actions")
    require_key_for_reads: bool = Field(
        default=False, description="When true, GET requests (and /ask) need a key with the read scope too"
    )
    api_key_header: str = Field(default="X-API-Key", description="Request header that carries the API key")
    rate_limit_per_minute: int = Field(
        default=600, ge=0, description="Requests per minute allowed to one API key (0 = unlimited)"
    )
    rate_limit_burst: int = Field(default=0, ge=0, description="Bucket size; 0 means the per-minute figure")
    rate_limit_anonymous_per_minute: int = Field(
        default=120, ge=0, description="Requests per minute allowed to one client address without a key (0 = unlimited)"
    )
    rate_limit_store: Literal["auto", "database", "redis", "memory"] = Field(
        default="auto",
        description="Where buckets live, shared by all processes: database, redis, or memory (one process); "
        "auto = redis when CLAIMS_REDIS_URL is set, else database",
    )
    redis_url: str | None = Field(default=None, description="Redis URL for shared rate limits, e.g. redis://127.0.0.1:6379/0")
    redis_prefix: str = Field(default="claims:ratelimit:", description="Prefix of every Redis key this service writes")
    session_store: Literal["auto", "file", "redis", "memory"] = Field(
        default="auto",
        description="Where web logins live, shared by all processes: file (a directory), redis, or memory "
        "(one process); auto = redis when CLAIMS_REDIS_URL is set, else file",
    )
    session_dir: Path | None = Field(
        default=None,
        description="Directory of the file session store (default: beside a SQLite database, else a "
        "per-database folder in the system temp directory)",
    )
    session_redis_prefix: str = Field(default="claims:session", description="Prefix of the web session keys in Redis")
    log_level: str = Field(default="info", description="debug, info, warning or error")
    log_json: bool = Field(default=True, description="One JSON object per log line (false: readable console lines)")
    metrics_enabled: bool = Field(default=True, description="Serve Prometheus metrics at /metrics")
    warm_up: bool = Field(
        default=True,
        description="At start, load in the background what the first question needs (lexicons, encoder, vector index)",
    )

    # Fetching articles and feeds from the web (claims.fetch)
    fetch_enabled: bool = Field(
        default=True, description="Fetch URLs at all (false: URL ingest and feeds answer 403; fuzzing, offline sites)"
    )
    fetch_allow_private: bool = Field(
        default=False,
        description="Allow fetching private, loopback and link-local addresses (tests, intranets)",
    )
    fetch_timeout: float = Field(default=10.0, gt=0, description="Seconds to connect, and between bytes read")
    fetch_deadline: float = Field(default=30.0, gt=0, description="Seconds a whole fetch may take")
    fetch_max_bytes: int = Field(default=5_000_000, ge=1024, description="Largest body fetched")
    fetch_max_redirects: int = Field(default=5, ge=0)
    fetch_user_agent: str = Field(
        default="claims-provenance-bot/0.1 (+https://github.com/claims/claims; newsroom claim tracking)",
        description="User-Agent sent with every fetch",
    )

    # Jobs (claims.jobs): the queue, the embedded worker and what becomes a job
    jobs_broker: str = Field(
        default="auto",
        pattern=r"^(auto|sqlite|postgres|redis|memory)$",
        description="Queue storage: auto (SQLite file beside a SQLite database, the database itself on "
        "PostgreSQL), sqlite, postgres, redis, memory (one process)",
    )
    jobs_url: str = Field(default="", description="Queue location: SQLite path, PostgreSQL or Redis URL")
    jobs_queue: str = Field(default="claims", pattern=r"^[A-Za-z0-9_.-]{1,40}$", description="Queue name")
    jobs_embedded_worker: bool = Field(default=True, description="claims serve runs a worker in-process")
    jobs_workers: int = Field(default=2, ge=1, le=64, description="Worker threads per claims worker / serve")
    jobs_lease_seconds: float = Field(default=60.0, gt=0, description="A running job not heard from in this "
                                      "long is taken over by another worker")
    jobs_max_attempts: int = Field(default=5, ge=1)
    jobs_retry_delay: float = Field(default=2.0, ge=0, description="First retry delay; doubles each attempt")
    feeds_poll_minutes: int = Field(default=15, ge=0, description="Poll every feed this often (0 = never)")
    report_job_threshold: int = Field(
        default=50, ge=0, description="HTML/PDF reports over this many claims are made by a job (202)"
    )


#: Settings whose values are never printed (a URL's password is masked instead).
SECRET_FIELDS = frozenset({"redis_url", "database_url", "jobs_url"})


def effective(settings: Settings) -> list[tuple[str, str, str, str]]:
    """(environment variable, effective value, default, description) for every setting; any
    password in a URL is masked, so the table is safe to paste into a ticket."""
    from sqlalchemy.engine import make_url

    rows = []
    for name, info in Settings.model_fields.items():
        value = getattr(settings, name)
        if name in SECRET_FIELDS and value:
            try:
                value = make_url(str(value)).render_as_string(hide_password=True)
            except Exception:  # noqa: BLE001 - not a URL SQLAlchemy reads: hide it whole
                value = "***"
        default = info.default if info.default is not None else ""
        rows.append((f"CLAIMS_{name.upper()}", str(value), str(default), info.description or ""))
    return rows


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
