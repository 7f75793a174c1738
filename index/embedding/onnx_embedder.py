"""The same model, served by ONNX Runtime: identical vectors, less overhead, no torch import.

:class:`OnnxEncoder` turns already-prefixed texts into unit vectors with the exported graph and
the model's own ``tokenizers`` file; :class:`OnnxEmbedder` adds the prompts and implements the
engine's :class:`~index.embedding.embedder.Embedder` protocol.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from index.embedding.embedder import EmbedderConfig, model_location, resolve_prompts
from index.embedding.model_tools import model_tools_installed
from index.embedding.onnx_export import (
    INT8_VERSION,
    OnnxExportError,
    OnnxModelInfo,
    discard_export,
    ensure_onnx_model,
    read_info,
)
from index.embedding.ort_runtime import import_onnxruntime

logger = logging.getLogger(__name__)


class OnnxEncoder:
    def __init__(self, info: OnnxModelInfo, batch_size: int = 16) -> None:
        from tokenizers import Tokenizer

        onnxruntime = import_onnxruntime()

        self.info = info
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(info.tokenizer))
        self.tokenizer.enable_truncation(info.max_length)
        self.tokenizer.no_padding()  # padded per batch below, to the batch's own longest text
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = max(1, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # ORT's warnings about unused initialisers are noise here
        self.session = onnxruntime.InferenceSession(str(info.graph), options, providers=["CPUExecutionProvider"])

    def batches(self, texts: list[str]) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(row numbers, input ids, attention mask) per batch; shortest texts first, so padding stays small."""
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(texts, add_special_tokens=True)]
        order = np.argsort([len(row) for row in ids], kind="stable")
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            width = max(len(ids[i]) for i in rows)
            input_ids = np.full((len(rows), width), self.info.pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                input_ids[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = 1
            yield rows, input_ids, mask

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), self.info.dimension), dtype=np.float32)
        for rows, input_ids, mask in self.batches(texts):
            (vectors,) = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask})
            out[rows] = vectors
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


class OnnxEmbedder:
    """Embedder protocol over :class:`OnnxEncoder`; vectors match the sentence-transformers backend."""

    def __init__(self, config: EmbedderConfig) -> None:
        path, name, is_default = model_location(config)
        if not path.is_dir():
            raise OnnxExportError(f"{config.model} is not a local model folder")
        self._batch_size = config.batch_size
        self.int8 = config.quantize
        try:
            self.encoder = self._load(path)
        except OnnxExportError as exc:
            if not (self.int8 and read_info(path) is not None):
                raise
            # The float graph is fine; only its int8 build failed or fell short of the check.
            logger.warning("int8 encoder unavailable for %s (%s); using the float32 graph", name, exc)
            self.int8 = False
            self.encoder = self._load(path)
        except Exception as exc:  # ONNX Runtime raises its own types for truncated or garbled files
            if not model_tools_installed():  # a serving-only installation could not export it again
                raise OnnxExportError(f"the ONNX graph in {path} cannot be loaded ({exc})") from exc
            # A damaged cache must not keep the bot down: export again, once.
            logger.warning("the ONNX export in %s cannot be loaded (%s); exporting it again", path, exc)
            discard_export(path)
            self.encoder = self._load(path)
        info = self.encoder.info
        self.query_prompt, self.document_prompt = resolve_prompts(info.prompts, config, is_default)
        # Float32: the torch backend's name (vectors agree to 1e-4), so either serves the other's index.
        # int8 vectors differ slightly (cosine ~0.9994), so they are named apart (per recipe) and never mixed.
        self.name = name + (f"+int8v{INT8_VERSION}" if self.int8 else "")
        self.dimension = info.dimension
        self.backend = "onnx"

    def _load(self, path: Path) -> OnnxEncoder:
        return OnnxEncoder(ensure_onnx_model(path, int8=self.int8), batch_size=self._batch_size)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return self.encoder.encode([self.document_prompt + t for t in texts])

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.encoder.encode([self.query_prompt + t for t in texts])
