"""Keep secrets (bot token, webhook secret) out of every log line, tracebacks included."""

from __future__ import annotations

import logging

REDACTED = "[redacted]"


class RedactingFormatter(logging.Formatter):
    """Formats with the wrapped formatter, then blanks out each secret."""

    def __init__(self, inner: logging.Formatter, secrets: list[str]) -> None:
        super().__init__()
        self.inner = inner
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = self.inner.format(record)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def install_redaction(secrets: list[str], logger: logging.Logger | None = None) -> None:
    """Wrap the formatter of every handler of ``logger`` (root by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        current = handler.formatter or logging.Formatter()
        if not isinstance(current, RedactingFormatter):
            handler.setFormatter(RedactingFormatter(current, secrets))
