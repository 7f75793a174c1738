"""Container healthcheck: `python -m bot.healthcheck` prints one line and exits 0 (healthy) or 1.

- Webhook mode: asks the bot's own /healthz on the loopback interface (200 once the webhook is
  registered with Telegram and the index serves; 503 while Telegram is unreachable at start).
- Polling mode: reads the heartbeat file the polling loop rewrites after each successful getUpdates
  (HEARTBEAT_FILE); older than two minutes, or absent, is unhealthy.
- Console mode (no BOT_TOKEN): nothing serves, nothing to check.
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request

from pydantic import ValidationError

from bot.config import Settings, describe_invalid_settings
from bot.health import polling_health


def loopback_url(settings: Settings) -> str:
    """Where this container reaches its own webhook server: the address it listens on, or loopback for "any"."""
    host = settings.webhook_host
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.webhook_port}/healthz"


def webhook_health(settings: Settings, timeout: float = 4.0) -> tuple[bool, str]:
    url = loopback_url(settings)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # loopback only
            return True, f"webhook: {response.read(2000).decode('utf-8', 'replace')}"
    except urllib.error.HTTPError as exc:
        body = exc.read(2000).decode("utf-8", "replace")
        return False, f"webhook: /healthz answered {exc.code}: {body}"
    except (OSError, ValueError) as exc:
        return False, f"webhook: {url} does not answer ({getattr(exc, 'reason', exc)})"


def check(settings: Settings, now: float | None = None) -> tuple[bool, str]:
    if settings.bot_token is None:
        return True, "console mode: no server to check"
    if settings.webhook_url:
        return webhook_health(settings)
    return polling_health(settings.heartbeat_file, time.time() if now is None else now)


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_invalid_settings(exc))
        return 1
    healthy, line = check(settings)
    print(line)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
