"""The int8 encoder: outlier channels kept in float32, checked against the float graph, safe fallback."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

import index.embedding.int8_graph as int8_graph
from index.embedding.embedder import EmbedderConfig
from index.embedding.factory import create_encoder
from index.embedding.model_builder import default_model_dir
from index.embedding.onnx_export import INT8_GRAPH_FILE, INT8_META_FILE, INT8_VERSION, ONNX_DIR, read_info
from tests.conftest import MODEL_CACHE, STAFF_LANGUAGE_TEXTS


# ---- the recipe on a small graph ------------------------------------------------------------------
def linear_graph(weight: np.ndarray) -> onnx.ModelProto:
    """x [batch, tokens, in] @ W -> y: one linear layer, as the encoder's are exported."""
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W"], ["y"], name="layer/MatMul")],
        "linear",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", weight.shape[0]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "tokens", weight.shape[1]])],
        [numpy_helper.from_array(weight, "W")],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def run(model: onnx.ModelProto | Path, x: np.ndarray) -> np.ndarray:
    source = model.SerializeToString() if isinstance(model, onnx.ModelProto) else str(model)
    return onnxruntime.InferenceSession(source, providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]


def activations_with_an_outlier_channel(rng: np.random.Generator) -> np.ndarray:
    x = rng.normal(0, 0.5, size=(4, 12, 64)).astype(np.float32)
    x[:, -1, 7] = 60.0  # one channel, huge on the last ("special") token: what BERT-like encoders do
    return x


def test_splitting_outlier_channels_is_exact_and_makes_int8_far_more_accurate(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    weight = rng.normal(0, 0.1, size=(64, 32)).astype(np.float32)
    x = activations_with_an_outlier_channel(rng)
    exact = x @ weight

    model = linear_graph(weight)
    onnx.save(model, str(tmp_path / "plain.onnx"))
    maxima = {"x": np.abs(x).max(axis=(0, 1))}
    before = {node.name for node in model.graph.node}
    outliers, channels = int8_graph.split_outlier_channels(model, maxima)
    assert (outliers, channels) == (1, 64)
    np.testing.assert_allclose(run(model, x), exact, rtol=1e-5, atol=1e-4)  # the rewrite changes nothing

    float_only = {node.name for node in model.graph.node if node.name not in before}
    matmuls = int8_graph.quantizable_nodes(model, float_only)
    assert matmuls == ["layer/MatMul"]  # the float32 outlier path is never quantised
    onnx.save(model, str(tmp_path / "split.onnx"))
    for name, nodes in (("plain", ["layer/MatMul"]), ("split", matmuls)):
        quantize_dynamic(
            str(tmp_path / f"{name}.onnx"),
            str(tmp_path / f"{name}-int8.onnx"),
            op_types_to_quantize=["MatMul"],
            nodes_to_quantize=nodes,
            weight_type=QuantType.QInt8,
            per_channel=True,
        )
    error = {
        name: np.linalg.norm(run(tmp_path / f"{name}-int8.onnx", x)[:, :-1] - exact[:, :-1])
        / np.linalg.norm(exact[:, :-1])
        for name in ("plain", "split")
    }
    # Ordinary tokens: one scale per tensor set by the outlier wipes them out in plain int8.
    assert error["split"] < error["plain"] / 4  # measured: 0.14 -> 0.025
    assert error["split"] < 0.04


def test_no_outliers_leaves_the_graph_alone() -> None:
    weight = np.eye(8, dtype=np.float32)
    model = linear_graph(weight)
    assert int8_graph.split_outlier_channels(model, {"x": np.ones(8, dtype=np.float32)}) == (0, 8)
    assert [node.op_type for node in model.graph.node] == ["MatMul"]


def test_the_vocabulary_is_stored_in_float16_and_looks_up_the_same_vectors() -> None:
    rng = np.random.default_rng(1)
    vocabulary = rng.normal(0, 0.05, size=(3000, 16)).astype(np.float32)
    positions = rng.normal(0, 0.05, size=(64, 16)).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["vocabulary", "ids"], ["words"], name="words/Gather"),
            helper.make_node("Gather", ["positions", "ids"], ["places"], name="places/Gather"),
            helper.make_node("Add", ["words", "places"], ["y"], name="Add"),
        ],
        "lookup",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["tokens"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["tokens", 16])],
        [numpy_helper.from_array(vocabulary, "vocabulary"), numpy_helper.from_array(positions, "positions")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    ids = np.array([0, 5, 63, 2], dtype=np.int64)

    assert int8_graph.store_vocabulary_in_float16(model) == 1
    stored = {tensor.name: tensor.data_type for tensor in model.graph.initializer}
    assert stored == {"vocabulary": TensorProto.FLOAT16, "positions": TensorProto.FLOAT}  # small tables stay
    looked_up = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(
        None, {"ids": ids}
    )[0]
    assert looked_up.dtype == np.float32
    np.testing.assert_allclose(looked_up, vocabulary[ids] + positions[ids], atol=1e-4)


# ---- the default model ------------------------------------------------------------------------
def test_the_default_encoder_is_int8_and_stays_close_to_float32(real_encoder, float_embedder) -> None:
    assert real_encoder.backend == "onnx" and real_encoder.int8
    # Different vectors, different name: an index never mixes int8 and float32 document vectors.
    assert real_encoder.name == f"{float_embedder.name}+int8v{INT8_VERSION}"
    for ours, reference in (
        (real_encoder.embed_queries(STAFF_LANGUAGE_TEXTS), float_embedder.embed_queries(STAFF_LANGUAGE_TEXTS)),
        (real_encoder.embed_documents(STAFF_LANGUAGE_TEXTS), float_embedder.embed_documents(STAFF_LANGUAGE_TEXTS)),
    ):
        cosine = np.sum(ours * reference, axis=1)
        assert cosine.min() >= int8_graph.MIN_INT8_COSINE
        assert cosine.mean() >= 0.998
    graph = read_info(default_model_dir(MODEL_CACHE), int8=True).graph
    meta = json.loads((graph.parent / INT8_META_FILE).read_text())
    assert 0 < meta["outlier_channels"] < meta["input_channels"] / 10
    # The speed comes from integer matrix multiplies: every linear layer must really be one.
    operators = [node.op_type for node in onnx.load(str(graph)).graph.node]
    assert operators.count("MatMulInteger") == meta["quantized_matmuls"] == 72  # 12 layers x 6 linear layers


def test_an_int8_graph_that_fails_its_check_is_not_used_nor_rebuilt(
    float_embedder, tmp_path: Path, monkeypatch, caplog
) -> None:
    source = default_model_dir(MODEL_CACHE)
    folder = tmp_path / "model"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(ONNX_DIR, "model.safetensors"))
    shutil.copytree(
        source / ONNX_DIR, folder / ONNX_DIR, ignore=shutil.ignore_patterns(INT8_GRAPH_FILE, INT8_META_FILE)
    )
    builds = []

    def far_from_float(float_graph: Path, target: Path, batches) -> int8_graph.Int8Build:
        builds.append(target)
        model = onnx.load(str(float_graph))
        model.graph.node.append(helper.make_node("Neg", ["embedding"], ["negated"]))
        model.graph.output[0].name = "negated"  # vectors pointing the other way
        onnx.save(model, str(target))
        return int8_graph.Int8Build(outlier_channels=0, input_channels=0, quantized_matmuls=0)

    monkeypatch.setattr(int8_graph, "build_int8_graph", far_from_float)
    with caplog.at_level(logging.WARNING):
        embedder = create_encoder(EmbedderConfig(model=str(folder), cache_dir=MODEL_CACHE))
    assert "int8 vectors too far from float32" in caplog.text
    assert embedder.backend == "onnx" and not embedder.int8
    assert embedder.name == str(folder)
    assert not (folder / ONNX_DIR / INT8_GRAPH_FILE).exists()
    vector = embedder.embed_queries([STAFF_LANGUAGE_TEXTS[0]])[0]
    assert float(vector @ float_embedder.embed_queries([STAFF_LANGUAGE_TEXTS[0]])[0]) >= 0.9999

    # The next start serves float32 at once instead of paying for another build.
    again = create_encoder(EmbedderConfig(model=str(folder), cache_dir=MODEL_CACHE))
    assert not again.int8 and len(builds) == 1
