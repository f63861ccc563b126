"""Configuration, read once from the environment (prefix ``CLAIMS_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
