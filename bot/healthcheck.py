"""Container healthcheck: in webhook mode, ask the bot's own /healthz; in polling mode, nothing to ask."""

from __future__ import annotations

import sys
import urllib.request

from bot.config import Settings


def main() -> int:
    settings = Settings()
    if not settings.webhook_url:
        return 0
    url = f"http://127.0.0.1:{settings.webhook_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:  # loopback only
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
