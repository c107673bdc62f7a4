"""One typed Settings object, read from SHOPKEEPER_* environment variables or a .env file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPKEEPER_", env_file=".env", extra="ignore")

    # where things live
    data_dir: Path = Path("./shopkeeper-data")
    database_url: str = ""  # empty: SQLite file under data_dir
    base_url: str = "http://127.0.0.1:8000"  # public URL: payment links, Twilio signatures
    host: str = "127.0.0.1"
    port: int = 8000

    # the merchant
    shop_name: str = "Shopkeeper Demo Store"
    currency: str = "EUR"
    languages: list[str] = Field(default_factory=lambda: ["en", "pl", "ar", "zh", "sk"])
    default_language: str = "en"
    default_country: str = "DE"

    # secrets (never logged: SecretStr prints as **********)
    secret_key: SecretStr = SecretStr("dev-insecure-change-me")
    payment_provider: str = "demo"  # "demo" | "stripe"
    demo_payment_secret: SecretStr = SecretStr("demo-webhook-secret")
    stripe_api_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    stripe_api_base: str | None = None  # point at a local fake in tests

    # reference rates (shop currency per unit) that turn a budget in another currency into a
    # search filter — never used to quote a price; the defaults suit the EUR demo shop
    budget_rates: dict[str, str] = Field(
        default_factory=lambda: {
            "PLN": "0.23",
            "CZK": "0.040",
            "USD": "0.92",
            "GBP": "1.17",
            "CHF": "1.05",
            "CNY": "0.13",
            "SAR": "0.245",
            "AED": "0.25",
        }
    )

    # behaviour
    reservation_minutes: int = 30
    checkout_config: Path | None = None  # JSON: shipping zones, tax rates, discount codes (demo default)
    load_demo_catalog: bool = True
    outbox_poll_s: float = 0.5
    # Redis (redis://host:6379/0) carries live web chat frames between server processes; needed
    # for `shopkeeper serve --workers N` with N > 1, unused by a single process
    redis_url: str | None = None

    # optional language model (any OpenAI-compatible endpoint); never required
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.data_dir / 'shopkeeper.db').resolve()}"
