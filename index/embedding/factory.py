"""Pick the embedder for a configuration.

The encoder is ONNX Runtime when the model exports, else sentence-transformers; the engine's
embedder is that encoder in the language-neutral space (:mod:`index.language_space`) unless
``language_neutral`` is off.
"""

from __future__ import annotations

import logging

from index.embedding.embedder import Embedder, EmbedderConfig, SentenceTransformerEmbedder
from index.embedding.model_builder import DEFAULT_MODEL_NAME
from index.embedding.model_tools import ModelToolsMissing, model_tools_installed, require_model_tools
from index.embedding.onnx_export import OnnxExportError

logger = logging.getLogger(__name__)


def create_embedder(config: EmbedderConfig) -> Embedder:
    """What the engine embeds with: the encoder, in the language-neutral space by default."""
    encoder = create_encoder(config)
    if not config.language_neutral:
        return encoder
    from index.language_space import LanguageNeutralEmbedder, cached_parallel_vectors

    return LanguageNeutralEmbedder(encoder, cached_parallel_vectors(encoder, config.cache_dir))


def create_encoder(config: EmbedderConfig) -> Embedder:
    """The model's own vectors: ONNX Runtime if it can serve them, else sentence-transformers."""
    if config.backend == "onnx":
        from index.embedding.onnx_embedder import OnnxEmbedder

        try:
            return OnnxEmbedder(config)
        except (OnnxExportError, ImportError) as exc:
            if not model_tools_installed():
                raise ModelToolsMissing(_what_was_asked(config, exc)) from exc
            # Same model, same vectors, only slower: worth serving rather than failing.
            logger.warning("ONNX backend unavailable for %s (%s); using sentence-transformers", config.model, exc)
    else:
        require_model_tools("EMBEDDING_BACKEND=torch")
    return SentenceTransformerEmbedder(config)


def _what_was_asked(config: EmbedderConfig, problem: Exception) -> str:
    """The setting behind a graph a serving-only installation does not have."""
    if config.model not in ("default", DEFAULT_MODEL_NAME):
        return f"EMBEDDING_MODEL={config.model}"
    if not config.quantize:
        return "QUANTIZE=false (the float32 graph)"
    return f"Exporting the default model to ONNX again ({problem})"
