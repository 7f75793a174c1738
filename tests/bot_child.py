"""The real `commission-bot run` process with the deterministic FakeEmbedder (starts in a second, not twenty).

    python -m tests.bot_child          # same environment variables as `commission-bot run`

For process-level tests where the model's quality is not the point: start-up, signals, webhook input.
"""

from __future__ import annotations

import sys

import index.engine
from bot.cli import main
from tests.conftest import FakeEmbedder

if __name__ == "__main__":
    index.engine.create_embedder = lambda config: FakeEmbedder()
    sys.exit(main(["run"]))
