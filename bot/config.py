"""All settings of the application: the engine's plus Telegram's. Environment and `.env`."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from index.config import EngineSettings

TELEGRAM_API_DEFAULT = "https://api.telegram.org"
IdList = Annotated[frozenset[int], NoDecode]
# Telegram accepts 1-256 characters of these; fewer than 16 can be guessed, and would be redacted all over the logs.
WEBHOOK_SECRET_RULE = re.compile(r"[A-Za-z0-9_-]{16,256}")


class Settings(EngineSettings):
    # A setting that fails validation must not print its value (the token, the webhook secret) in the error.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    bot_token: SecretStr | None = Field(
        None, description="Telegram bot token from BotFather; without it `run` opens a console chat"
    )
    telegram_api_url: str = Field(
        TELEGRAM_API_DEFAULT, description="Bot API server (a self-hosted telegram-bot-api, or a test server)"
    )
    webhook_url: str | None = Field(
        None,
        description="Public HTTPS base URL: webhook mode, Telegram calls WEBHOOK_URL + WEBHOOK_PATH; unset: polling",
    )
    webhook_secret: SecretStr | None = Field(
        None, description="Secret token Telegram must send with each webhook request (required in webhook mode)"
    )
    webhook_host: str = Field("0.0.0.0", description="Address the webhook server listens on")
    webhook_port: int = Field(8080, description="Port the webhook server listens on")
    webhook_path: str = Field("/telegram/webhook", description="Path of the webhook endpoint")
    admin_ids: IdList = Field(
        frozenset(), description="Telegram user ids allowed to reindex, upload and see /stats (comma-separated)"
    )
    allowed_user_ids: IdList = Field(
        frozenset(), description="When set (with or without ALLOWED_CHAT_IDS), only these users may ask"
    )
    allowed_chat_ids: IdList = Field(frozenset(), description="When set, groups/chats whose members may ask")
    rate_limit_per_minute: int = Field(20, description="Questions one user may ask per minute")
    upload_max_mb: float = Field(
        20.0, description="Largest document an admin may upload (Telegram's own limit is 20 MB)"
    )
    answer_workers: int = Field(2, description="Threads that compute answers (the event loop never waits on the model)")
    max_concurrent_updates: int = Field(
        16, description="Updates handled at once; more wait their turn (keeps the event loop responsive in bursts)"
    )
    heartbeat_file: Path = Field(
        Path(tempfile.gettempdir()) / "commission-bot.heartbeat",
        description="Polling mode: touched after every successful getUpdates; the healthcheck reads its age",
    )
    voice_model: str | None = Field(
        None,
        description="Voice questions: a faster-whisper model folder, or a model name (downloaded once where the "
        "model hub is reachable); unset: voice messages get a one-line 'voice is off'",
    )
    voice_max_seconds: float = Field(
        60.0, description="Longest voice message transcribed; longer ones are refused before download"
    )
    feedback_db: Path | None = Field(
        None,
        description="The answer log (questions, votes, follow-up context; askers as salted hashes); default: "
        "feedback.sqlite beside INDEX_DIR (var/feedback.sqlite)",
    )
    feedback_days: float = Field(180.0, gt=0, description="Days the answer log keeps a question, then deletes it")
    follow_up_minutes: float = Field(
        5.0, ge=0, description="Private chat: a short message this soon after an answer follows it up"
    )
    follow_up_words: int = Field(8, ge=0, description="...and 'short' means at most this many words")
    log_level: str = Field("INFO", description="Logging level")

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _empty_secret_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("webhook_secret")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_RULE.fullmatch(value.get_secret_value()):
            secret = value.get_secret_value()
            length = f"{len(secret)} character" + ("" if len(secret) == 1 else "s")
            others = ", some of them not allowed" if re.search(r"[^A-Za-z0-9_-]", secret) else ""
            raise ValueError(
                f"must be 16 to 256 characters of A-Z a-z 0-9 _ - (this one: {length}{others}); "
                "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return value

    @field_validator("admin_ids", "allowed_user_ids", "allowed_chat_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        if isinstance(value, int):
            return frozenset({value})
        return value

    @property
    def feedback_path(self) -> Path:
        """The answer log's file: FEEDBACK_DB, else beside the index folder (never inside it: builds own that)."""
        return self.feedback_db or self.index_dir.parent / "feedback.sqlite"

    @property
    def access_restricted(self) -> bool:
        return bool(self.allowed_user_ids or self.allowed_chat_ids)


def describe_invalid_settings(error: ValidationError) -> str:
    """One line naming each invalid setting as its environment variable, without its value."""
    problems = []
    for item in error.errors():
        name = "_".join(str(part) for part in item["loc"]).upper() or "settings"
        problems.append(f"{name} {item['msg'].removeprefix('Value error, ')}")
    return "Invalid setting: " + "; ".join(problems)
