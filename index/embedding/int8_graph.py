"""The int8 encoder graph: dynamic int8 matrix multiplies, with outlier channels kept in float32.

Why not plain dynamic quantisation: ONNX Runtime quantises each activation tensor with one scale,
and this model (like BERT generally) carries a few huge channels on the special tokens: the input
of layer 4's feed-forward output reaches 67 in one channel where a token's typical largest value is
2, so one int8 step (0.5) swallows most activations. Plain int8 cost 1.3 points of English Recall@1
on XQuAD. Splitting those channels out (x @ W = x_rest @ W_rest in int8 + x_outliers @ W_outliers in
float32, exact by construction) leaves a small range to quantise: mean cosine to the float vectors
0.9994 instead of 0.9957, XQuAD Recall@1 within 0.5 point of float32 (-0.4 at most), and
sentences encode ~1.45x faster.

Outlier channels are found by calibration, once per model: the float graph runs over
CALIBRATION_TEXTS with every matrix-multiply input exposed, and a channel whose largest magnitude
exceeds OUTLIER_RATIO times the median channel's is kept in float32. The word-embedding table is
stored in float16 (half the load time). The result is checked against the float graph before it is
published (MIN_INT8_COSINE).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

OUTLIER_RATIO = 4.0  # 4x the median channel: 675 of 32,256 input channels (2%) stay float32 here
MIN_INT8_COSINE = 0.995  # measured lowest on 508 XQuAD sentences: 0.998
VOCABULARY_MIN_ROWS = 1000  # a Gather on a table this tall is a vocabulary (position tables are 512)

# Special tokens carry the outliers, so any sentences expose them; these mix the staff's languages
# and lengths so that no channel is missed because a script or length never occurred.
CALIBRATION_TEXTS = [
    "Следующее, 22-е заседание Совместной межправительственной комиссии пройдет в Казахстане.",
    "Министр сообщил, что в 2024 году товарооборот вырос на 5,1% и составил 480 млн долларов США.",
    "По итогам заседания подписан Протокол 21-го заседания Совместной комиссии.",
    "Стороны обсудили сотрудничество в сфере энергетики, транспорта, сельского хозяйства и туризма, "
    "а также создание совместных предприятий и расширение транзитных перевозок через Каспийское море.",
    "The next session of the joint intergovernmental commission will be held next year in Kazakhstan.",
    "Trade between the two countries grew by 5.1 percent in 2024.",
    "Комиссияның келесі отырысы келесі жылы Қазақстанда өтеді.",
    "Komissiyanın növbəti iclası gələn il Qazaxıstanda keçiriləcək.",
    "Где пройдет заседание?",
    "Who are the co-chairs of the commission?",
    "Да.",
    "С 2023 года через нефтепровод Баку–Тбилиси–Джейхан на мировой рынок поставлено 3,4 млн тонн "
    "казахстанской нефти; стороны договорились увеличить объемы в 2025–2026 годах. " * 3,
]


@dataclass(frozen=True)
class Int8Build:
    """What the int8 build did; recorded next to the graph."""

    outlier_channels: int
    input_channels: int
    quantized_matmuls: int


def weighted_matmuls(model) -> list:
    """MatMul nodes whose second input is a stored weight (the linear layers)."""
    weights = {tensor.name for tensor in model.graph.initializer}
    return [node for node in model.graph.node if node.op_type == "MatMul" and node.input[1] in weights]


def channel_maxima(model, batches: Iterable[tuple[np.ndarray, np.ndarray]]) -> dict[str, np.ndarray]:
    """Largest |value| per channel of every linear layer's input, over real (unpadded) tokens."""
    import onnx

    from index.embedding.ort_runtime import import_onnxruntime

    onnxruntime = import_onnxruntime()
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    inputs = sorted({node.input[0] for node in weighted_matmuls(model)})
    for name in inputs:
        probe.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    session = onnxruntime.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    maxima: dict[str, np.ndarray] = {}
    for input_ids, mask in batches:
        real = mask.astype(bool)
        for name, values in zip(
            inputs, session.run(inputs, {"input_ids": input_ids, "attention_mask": mask}), strict=True
        ):
            peak = np.abs(values[real]).max(axis=0)
            maxima[name] = np.maximum(maxima[name], peak) if name in maxima else peak
    return maxima


def split_outlier_channels(model, maxima: dict[str, np.ndarray], ratio: float = OUTLIER_RATIO) -> tuple[int, int]:
    """Rewrite ``model`` in place so outlier input channels bypass the (later quantised) MatMuls.

    For each linear-layer input x with outlier channels O, every MatMul reading x becomes
    ``MatMul(x * keep, W with rows O zeroed) + MatMul(x[..., O], W[O])``; the first is quantised, the
    second is never (its name is kept out of the list). Returns (outlier channels, input channels).
    """
    from onnx import helper, numpy_helper

    initializers = {tensor.name: tensor for tensor in model.graph.initializer}
    readers: dict[str, list] = {}
    for node in weighted_matmuls(model):
        readers.setdefault(node.input[0], []).append(node)
    outliers_total = channels_total = 0
    for group, (source, nodes) in enumerate(readers.items()):
        peak = maxima[source]
        channels_total += len(peak)
        outliers = np.flatnonzero(peak > ratio * np.median(peak))
        if len(outliers) == 0:
            continue
        outliers_total += len(outliers)
        prefix = f"int8_split_{group}"
        keep = np.ones(len(peak), dtype=np.float32)
        keep[outliers] = 0.0
        model.graph.initializer.extend(
            [numpy_helper.from_array(keep, f"{prefix}_keep"), numpy_helper.from_array(outliers, f"{prefix}_index")]
        )
        head = [
            helper.make_node("Mul", [source, f"{prefix}_keep"], [f"{prefix}_rest"], name=f"{prefix}/Rest"),
            helper.make_node(
                "Gather", [source, f"{prefix}_index"], [f"{prefix}_outliers"], axis=-1, name=f"{prefix}/Outliers"
            ),
        ]
        for member, node in enumerate(nodes):
            weight = numpy_helper.to_array(initializers[node.input[1]])
            outlier_rows = f"{prefix}_{member}_rows"
            model.graph.initializer.append(numpy_helper.from_array(weight[outliers].copy(), outlier_rows))
            rest = weight.copy()
            rest[outliers] = 0.0  # also keeps those rows from inflating the per-column int8 scales
            initializers[node.input[1]].CopyFrom(numpy_helper.from_array(rest, node.input[1]))
            output = node.output[0]
            node.input[0], node.output[0] = f"{prefix}_rest", f"{output}_rest"
            tail = [
                helper.make_node(
                    "MatMul",
                    [f"{prefix}_outliers", outlier_rows],
                    [f"{output}_outliers"],
                    name=f"{prefix}/{member}/Float",
                ),
                helper.make_node(
                    "Add", [f"{output}_rest", f"{output}_outliers"], [output], name=f"{prefix}/{member}/Sum"
                ),
            ]
            _insert_after(model, node, tail)
        _insert_before(model, nodes[0], head)
    return outliers_total, channels_total


def quantizable_nodes(model, float_only: set[str]) -> list[str]:
    """The linear layers ONNX Runtime quantises: every weighted MatMul but the float-only outlier paths."""
    return [node.name for node in weighted_matmuls(model) if node.name not in float_only]


def store_vocabulary_in_float16(model) -> int:
    """Keep large lookup tables (the word embeddings) in float16, cast to float32 after the lookup.

    The table is 96 % of the file: float16 halves the session's load time (1.25 -> 0.6 s of a warm
    start) and cut the bench's peak RSS by ~370 MB, at no measurable cost (mean cosine to float32
    unchanged to 1e-6).
    Not int8: that would add error for no speed, as a lookup does no arithmetic. Returns tables converted.
    """
    from onnx import TensorProto, helper, numpy_helper

    tables = {tensor.name: tensor for tensor in model.graph.initializer}
    lookups = [
        node
        for node in model.graph.node
        if node.op_type == "Gather"
        and node.input[0] in tables
        and tables[node.input[0]].data_type == TensorProto.FLOAT
        and len(tables[node.input[0]].dims) == 2
        and tables[node.input[0]].dims[0] >= VOCABULARY_MIN_ROWS
    ]
    for node in lookups:
        table = tables[node.input[0]]
        table.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(table).astype(np.float16), table.name))
        output = node.output[0]
        node.output[0] = f"{output}_float16"
        cast = helper.make_node(
            "Cast", [f"{output}_float16"], [output], to=TensorProto.FLOAT, name=f"{node.name}/ToFloat"
        )
        _insert_after(model, node, [cast])
    return len(lookups)


class _QuantizerChatter(logging.Filter):
    """ONNX Runtime's quantiser logs a line per tensor (and generic advice) on the root logger; drop those."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno < logging.ERROR and "onnxruntime" in record.pathname)


def _insert_before(model, anchor, nodes: list) -> None:
    position = list(model.graph.node).index(anchor)
    for offset, node in enumerate(nodes):
        model.graph.node.insert(position + offset, node)


def _insert_after(model, anchor, nodes: list) -> None:
    position = list(model.graph.node).index(anchor) + 1
    for offset, node in enumerate(nodes):
        model.graph.node.insert(position + offset, node)


def build_int8_graph(float_graph: Path, target: Path, batches: Iterable[tuple[np.ndarray, np.ndarray]]) -> Int8Build:
    """Write the int8 graph of ``float_graph`` to ``target`` (calibrating on ``batches``)."""
    import onnx

    from index.embedding.ort_runtime import import_onnxruntime

    import_onnxruntime()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = onnx.load(str(float_graph))
    maxima = channel_maxima(model, batches)
    before = {node.name for node in model.graph.node}
    outliers, channels = split_outlier_channels(model, maxima)
    float_only = {node.name for node in model.graph.node if node.name not in before}
    matmuls = quantizable_nodes(model, float_only)
    store_vocabulary_in_float16(model)
    split = target.with_name(target.name + ".split-float")
    onnx.save(model, str(split))
    del model
    quiet = _QuantizerChatter()
    logging.getLogger().addFilter(quiet)
    try:
        quantize_dynamic(
            str(split),
            str(target),
            op_types_to_quantize=["MatMul"],
            nodes_to_quantize=matmuls,
            weight_type=QuantType.QInt8,
            per_channel=True,
        )
    finally:
        logging.getLogger().removeFilter(quiet)
        split.unlink(missing_ok=True)
    logger.info("int8 graph: %d of %d input channels kept in float32", outliers, channels)
    return Int8Build(outlier_channels=outliers, input_channels=channels, quantized_matmuls=len(matmuls))
