"""Keep secrets (bot token, webhook secret) out of every log line, tracebacks included.

Only whole values are redacted: a secret is replaced where it stands on its own, not inside a longer
run of the characters secrets are made of (A-Z a-z 0-9 _ -), so a secret that happens to occur inside
another word leaves that word alone. A bot token ("<bot id>:<secret>") is redacted by its secret half,
which also catches it inside Bot API URLs (".../bot<id>:<secret>/getMe"); the bot's id is public.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
SECRET_CHARACTERS = "A-Za-z0-9_-"


def secret_pattern(secrets: list[str]) -> re.Pattern[str] | None:
    """One pattern matching any of the secrets as a whole value; None if there is nothing to hide."""
    values: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        values.add(secret)
        _, colon, tail = secret.partition(":")
        if colon and tail:  # a bot token: its secret half on its own
            values.add(tail)
    if not values:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    return re.compile(f"(?<![{SECRET_CHARACTERS}])(?:{alternatives})(?![{SECRET_CHARACTERS}])")


def redact(text: str, secrets: list[str]) -> str:
    pattern = secret_pattern(secrets)
    return pattern.sub(REDACTED, text) if pattern else text


class RedactingFormatter(logging.Formatter):
    """Formats with the wrapped formatter, then blanks out each secret."""

    def __init__(self, inner: logging.Formatter, secrets: list[str]) -> None:
        super().__init__()
        self.inner = inner
        self.pattern = secret_pattern(secrets)

    def format(self, record: logging.LogRecord) -> str:
        text = self.inner.format(record)
        return self.pattern.sub(REDACTED, text) if self.pattern else text


def install_redaction(secrets: list[str], logger: logging.Logger | None = None) -> None:
    """Wrap the formatter of every handler of ``logger`` (root by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        current = handler.formatter or logging.Formatter()
        if not isinstance(current, RedactingFormatter):
            handler.setFormatter(RedactingFormatter(current, secrets))
