"""Pick the embedder for a configuration: ONNX Runtime when the model exports, else sentence-transformers."""

from __future__ import annotations

import logging

from index.embedding.embedder import Embedder, EmbedderConfig, SentenceTransformerEmbedder
from index.embedding.onnx_export import OnnxExportError

logger = logging.getLogger(__name__)


def create_embedder(config: EmbedderConfig) -> Embedder:
    if config.backend == "onnx":
        from index.embedding.onnx_embedder import OnnxEmbedder

        try:
            return OnnxEmbedder(config)
        except (OnnxExportError, ImportError) as exc:
            # Same model, same vectors, only slower: worth serving rather than failing.
            logger.warning("ONNX backend unavailable for %s (%s); using sentence-transformers", config.model, exc)
    return SentenceTransformerEmbedder(config)
