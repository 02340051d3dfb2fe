"""Settings, read from the environment (and a `.env` file if present)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-secret-change-me"


class Settings(BaseSettings):
    # hide_input_in_errors: a refusal at start-up must never print SECRET_KEY (pydantic's
    # message would otherwise show the start and end of every value it was given)
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    trip_env: Literal["development", "production"] = "development"
    database_url: str = f"sqlite:///{ROOT / 'var' / 'trip.db'}"
    secret_key: str = DEFAULT_SECRET
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""
    forwarded_allow_ips: str = "127.0.0.1"
    session_idle_minutes: int = 60
    session_absolute_hours: int = 12
    log_level: str = "info"
    # single sign-on with the trust's identity provider (OpenID Connect); off when unset
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_allowed_domains: str = ""  # comma-separated, e.g. "nhs.net,trust.nhs.uk"
    oidc_require_for_staff: bool = False
    oidc_require_for_staff_members: bool = False  # also members whose perspective is staff
    oidc_allow_new_accounts: bool = False
    # reminders (app/reminders): nothing is sent until a sender is chosen
    reminders_sender: Literal["none", "smtp", "notify"] = "none"
    reminders_from: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_ca_file: str = ""  # a CA bundle to trust for the relay (else the system's)
    notify_api_key: str = ""
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    notify_template_digest: str = ""
    notify_template_notice: str = ""

    @model_validator(mode="after")
    def _fill_and_check(self) -> Settings:
        if not self.public_url:
            if self.production:
                raise ValueError(
                    "PUBLIC_URL is not set. Set PUBLIC_URL to the address people use, "
                    "for example https://trip.example.nhs.uk"
                )
            self.public_url = f"http://{self.host}:{self.port}"
        self.public_url = self.public_url.rstrip("/")
        if self.production and (not self.secret_key or self.secret_key == DEFAULT_SECRET):
            raise ValueError(
                "SECRET_KEY is missing or still the development default. Set SECRET_KEY to a "
                'long random value, for example: python -c "import secrets; '
                'print(secrets.token_urlsafe(48))"'
            )
        if self.production:
            problem = secret_key_problem(self.secret_key)
            if problem:
                raise ValueError(problem)
        return self

    @property
    def production(self) -> bool:
        return self.trip_env == "production"

    @property
    def sso_configured(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret)

    @property
    def sso_domains(self) -> list[str]:
        return [
            d.strip().lower().lstrip("@") for d in self.oidc_allowed_domains.split(",") if d.strip()
        ]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        return self.production or self.public_url.startswith("https://")

    @property
    def public_origin(self) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"


SECRET_MIN_LENGTH = 32
SECRET_MIN_DISTINCT = 16


def secret_key_problem(key: str) -> str | None:
    """Why a production SECRET_KEY is refused, or None. Never quotes the key."""
    hint = 'Make one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
    if len(key) < SECRET_MIN_LENGTH:
        return (
            f"SECRET_KEY is too short: use at least {SECRET_MIN_LENGTH} random characters. {hint}"
        )
    if len(set(key)) < SECRET_MIN_DISTINCT:
        return (
            f"SECRET_KEY is not random enough: it needs at least {SECRET_MIN_DISTINCT} "
            f"different characters. {hint}"
        )
    return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
