"""Export a sentence-transformers model folder to one ONNX graph (encoder + pooling), once, in place.

Why: on this 2-core CPU the model itself is cheap and the framework around it is not. A short
question costs ~35 ms through sentence-transformers/transformers and ~15 ms through ONNX Runtime,
and a process that serves from the ONNX file never imports torch (seconds of start-up).

The export is verified before it is published: the ONNX path (tokenizer and graph) must give the
same vectors as sentence-transformers (cosine >= MIN_COSINE) on texts in every staff language,
padded batches and a text past the model's length limit. Failing that, nothing is written and the
caller keeps the sentence-transformers path.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import warnings
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from index.embedding.cache_access import share_readable
from index.embedding.model_tools import model_tools_installed

logger = logging.getLogger(__name__)

ONNX_DIR = "onnx"
GRAPH_FILE = "encoder-pooled.onnx"  # not ST's "model.onnx": its input/output contract differs
INT8_GRAPH_FILE = "encoder-pooled-int8.onnx"
META_FILE = "export.json"
INT8_META_FILE = "int8.json"  # the int8 build's figures, or why it was rejected
# Bump when the export changes, so graphs written by older code are redone.
EXPORT_VERSION = "1"
# The int8 recipe's version: part of the embedder's name, so an index never mixes vectors of two
# recipes (a new one re-embeds). 1 (no int8.json): every channel int8, -1.3 points of English
# Recall@1. 2: outlier channels float32. 3: and the vocabulary table float16.
INT8_VERSION = "3"
MIN_COSINE = 0.9999
OPSET = 17

# What the check encodes: the staff's languages, short and long, so padding and truncation are exercised.
CHECK_TEXTS = [
    "Где пройдет 22-е заседание межправительственной комиссии?",
    "Where will the 22nd session of the commission be held?",
    "Комиссияның 22-отырысы қайда өтеді?",
    "Komissiyanın 22-ci iclası harada keçiriləcək?",
    "По итогам заседания подписан Протокол 21-го заседания Совместной комиссии.",
    "Товарооборот между странами в 2024 году вырос на 5,1% и составил 480 млн долларов США. " * 3,
    "Следующее заседание пройдет в Казахстане. " * 60,  # past 512 tokens: truncation must agree
]


class OnnxExportError(RuntimeError):
    """The model cannot be served through ONNX Runtime (unsupported layout, failed check)."""


@dataclass(frozen=True)
class OnnxModelInfo:
    graph: Path
    tokenizer: Path
    max_length: int
    pad_id: int
    dimension: int
    prompts: dict[str, str]


def onnx_dir(model_dir: Path) -> Path:
    return model_dir / ONNX_DIR


def read_info(model_dir: Path, int8: bool = False) -> OnnxModelInfo | None:
    """The published export of this model folder, or None if there is none (or it is outdated)."""
    folder = onnx_dir(model_dir)
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    graph = folder / (INT8_GRAPH_FILE if int8 else GRAPH_FILE)
    if meta.get("export_version") != EXPORT_VERSION or not graph.is_file():
        return None
    if int8 and _read_int8_meta(folder).get("int8_version") != INT8_VERSION:
        return None
    return _info_from_meta(graph, meta)


def _read_int8_meta(folder: Path) -> dict:
    try:
        return json.loads((folder / INT8_META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _info_from_meta(graph: Path, meta: dict) -> OnnxModelInfo:
    return OnnxModelInfo(
        graph=graph,
        tokenizer=graph.parent / "tokenizer.json",
        max_length=int(meta["max_length"]),
        pad_id=int(meta["pad_id"]),
        dimension=int(meta["dimension"]),
        prompts=dict(meta.get("prompts") or {}),
    )


def ensure_onnx_model(model_dir: Path, int8: bool = False) -> OnnxModelInfo:
    """Return the verified ONNX export of a sentence-transformers folder, exporting it first if needed."""
    info = read_info(model_dir, int8)
    if info is not None:
        share_readable(onnx_dir(model_dir))  # exports published by older versions are 0700
        return info
    if read_info(model_dir) is None:
        if not model_tools_installed():
            raise OnnxExportError(f"{model_dir} has no float32 ONNX graph and cannot export one here")
        _export_folder(model_dir)
    if int8:
        _build_int8(model_dir)
    info = read_info(model_dir, int8)
    if info is None:
        raise OnnxExportError(f"ONNX export of {model_dir} did not produce a usable graph")
    return info


def discard_export(model_dir: Path) -> None:
    shutil.rmtree(onnx_dir(model_dir), ignore_errors=True)


def _export_folder(model_dir: Path) -> None:
    logger.info("Exporting %s to ONNX (once, ~30 s)", model_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".onnx-", dir=model_dir))
    except OSError as exc:  # a read-only model folder
        raise OnnxExportError(f"cannot write the export into {model_dir}: {exc}") from exc
    try:
        try:
            meta = export_model(model_dir, staging)
        except OnnxExportError:
            raise
        except Exception as exc:  # torch's exporter fails in many ways on unusual architectures
            raise OnnxExportError(f"export failed: {type(exc).__name__}: {exc}") from exc
        (staging / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        share_readable(staging)  # mkdtemp made it 0700: other users (a container's, a host's) read the cache
        target = onnx_dir(model_dir)
        if read_info(model_dir) is None:  # an outdated or broken export; never a good one another process just wrote
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(staging, target)
        except OSError:
            # Another process published the same export first; it passed the same check.
            if read_info(model_dir) is None:
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def export_model(model_dir: Path, out_dir: Path) -> dict:
    """Write the graph and tokenizer of ``model_dir`` into ``out_dir``; return their metadata."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    tokenizer_file = model_dir / "tokenizer.json"
    transformer = model[0]
    if not tokenizer_file.is_file() or not hasattr(transformer, "auto_model"):
        raise OnnxExportError("only text models with a fast tokenizer (tokenizer.json) can be exported")
    shutil.copyfile(tokenizer_file, out_dir / "tokenizer.json")
    accepts_types = "token_type_ids" in transformer.auto_model.forward.__code__.co_varnames

    class Pooled(torch.nn.Module):
        """input ids + mask -> the model's sentence embedding (pooling included, as ST computes it)."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            features = {"input_ids": input_ids, "attention_mask": attention_mask}
            if accepts_types:
                features["token_type_ids"] = torch.zeros_like(input_ids)
            return self.model(features)["sentence_embedding"]

    sample = model.tokenizer(["query: a b", "passage: a longer sample text"], padding=True, return_tensors="pt")
    graph = out_dir / GRAPH_FILE
    # The tracer warns about Python-level branches in transformers' attention code; the check below
    # is what tells whether the traced graph is right for every batch shape.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled().eval(),
            (sample["input_ids"], sample["attention_mask"]),
            str(graph),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
            opset_version=OPSET,
            dynamo=False,  # the TorchScript exporter handles BERT's dynamic shapes without onnxscript rewrites
        )
    pad_id = model.tokenizer.pad_token_id
    meta = {
        "export_version": EXPORT_VERSION,
        "max_length": int(model.max_seq_length),
        "pad_id": int(pad_id if pad_id is not None else 0),
        "dimension": int(model.get_embedding_dimension()),
        "prompts": dict(model.prompts or {}),
    }
    meta["check_min_cosine"] = _check_against(model, _info_from_meta(graph, meta))
    return meta


def _check_against(model, info: OnnxModelInfo) -> float:
    """Lowest cosine between sentence-transformers and the ONNX path over CHECK_TEXTS, with each prompt."""
    from index.embedding.onnx_embedder import OnnxEncoder

    encoder = OnnxEncoder(info)
    lowest = 1.0
    for prompt in _prompts_of(info):
        reference = model.encode(
            CHECK_TEXTS, prompt=prompt, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        lowest = min(lowest, _lowest_cosine(reference, encoder.encode([prompt + t for t in CHECK_TEXTS])))
    if lowest < MIN_COSINE:
        raise OnnxExportError(f"ONNX vectors differ from sentence-transformers (lowest cosine {lowest:.5f})")
    return round(lowest, 6)


def _build_int8(model_dir: Path) -> None:
    """Build, check and publish the int8 graph; a rejected build is remembered, not retried each start."""
    from index.embedding.int8_graph import CALIBRATION_TEXTS, MIN_INT8_COSINE, build_int8_graph
    from index.embedding.onnx_embedder import OnnxEncoder

    folder = onnx_dir(model_dir)
    rejected = _read_int8_meta(folder)
    if rejected.get("int8_version") == INT8_VERSION and rejected.get("rejected"):
        raise OnnxExportError(f"int8 graph rejected earlier: {rejected['rejected']}")
    float_info = read_info(model_dir)
    if float_info is None:
        raise OnnxExportError(f"no float ONNX export in {model_dir}")
    logger.info("Building the int8 graph of %s (once, ~30 s)", model_dir)
    staging = folder / f".{INT8_GRAPH_FILE}.{os.getpid()}"
    try:
        reference = OnnxEncoder(float_info)
        calibration = reference.batches(_with_prompts(float_info, CALIBRATION_TEXTS))
        build = build_int8_graph(float_info.graph, staging, (batch[1:] for batch in calibration))
        texts = _with_prompts(float_info, CHECK_TEXTS)
        lowest = _lowest_cosine(reference.encode(texts), OnnxEncoder(replace(float_info, graph=staging)).encode(texts))
    except Exception as exc:  # onnxruntime's quantiser and graph surgery; the float graph is still good
        staging.unlink(missing_ok=True)
        raise OnnxExportError(f"int8 build failed: {type(exc).__name__}: {exc}") from exc
    meta = {"int8_version": INT8_VERSION, **asdict(build), "check_min_cosine": round(lowest, 6)}
    if lowest < MIN_INT8_COSINE:
        staging.unlink(missing_ok=True)
        meta["rejected"] = f"int8 vectors too far from float32 (lowest cosine {lowest:.4f} < {MIN_INT8_COSINE})"
        _write_int8_meta(folder, meta)
        raise OnnxExportError(meta["rejected"])
    share_readable(staging)
    os.replace(staging, folder / INT8_GRAPH_FILE)
    _write_int8_meta(folder, meta)


def _prompts_of(info: OnnxModelInfo) -> list[str]:
    return sorted(set(info.prompts.values())) or [""]


def _with_prompts(info: OnnxModelInfo, texts: list[str]) -> list[str]:
    """Every text behind every prompt of the model: what checks and calibration encode."""
    return [prompt + text for prompt in _prompts_of(info) for text in texts]


def _lowest_cosine(reference: np.ndarray, candidate: np.ndarray) -> float:
    """Lowest cosine between matching rows of two sets of unit vectors."""
    return float(np.min(np.sum(reference * candidate, axis=1)))


def _write_int8_meta(folder: Path, meta: dict) -> None:
    staging = folder / f".{INT8_META_FILE}.{os.getpid()}"
    staging.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    share_readable(staging)
    os.replace(staging, folder / INT8_META_FILE)
