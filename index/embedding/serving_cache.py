"""The model cache of a serving-only installation (the Docker image): what ONNX Runtime reads, nothing else.

    python -m index.embedding.serving_cache build BUILD_CACHE SERVING_CACHE   # with torch: make, then copy
    python -m index.embedding.serving_cache check SERVING_CACHE               # without torch: does it serve?

Serving the default model reads the int8 graph, its tokenizer and the export's metadata. The weights
(model.safetensors), the float32 graph and the second tokenizer copy are only needed to export again,
for ``QUANTIZE=false`` or the torch backend: about 940 MB the serving image does without. When the
int8 graph was rejected, the float32 graph is what serves, so it is kept.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from pathlib import Path

from index.embedding.cache_access import share_readable
from index.embedding.model_builder import ensure_default_model
from index.embedding.onnx_export import GRAPH_FILE, ONNX_DIR, ensure_onnx_model, read_info

logger = logging.getLogger(__name__)

WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt")
# What importing these would mean in a serving process: the torch stack, seconds of start-up, ~1 GB.
NOT_FOR_SERVING = ("torch", "transformers", "sentence_transformers", "onnx")


def serving_files(model_dir: Path) -> list[Path]:
    """Files of a built model folder (relative to it) that serving its default graph reads or describes it."""
    keep_float = read_info(model_dir, int8=True) is None  # int8 rejected: the float32 graph serves
    kept = []
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(model_dir)
        in_root = len(relative.parts) == 1
        if in_root and (path.suffix in WEIGHT_SUFFIXES or path.name == "tokenizer.json"):
            continue  # the export's own copy of the tokenizer is in onnx/
        if relative == Path(ONNX_DIR, GRAPH_FILE) and not keep_float:
            continue
        if relative.parts[0].startswith("."):
            continue  # a staging leftover
        kept.append(relative)
    return kept


def build_serving_cache(build_cache: Path, serving_cache: Path) -> Path:
    """Build the default model and its int8 graph in ``build_cache``; copy what serving reads to ``serving_cache``."""
    from index.embedding.embedder import EmbedderConfig
    from index.embedding.factory import create_encoder
    from index.language_space import cached_parallel_vectors

    model_dir = ensure_default_model(build_cache)
    ensure_onnx_model(model_dir, int8=True)
    target = serving_cache / model_dir.name
    for relative in serving_files(model_dir):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(model_dir / relative, target / relative)
    # The language-neutral space's basis too: a read-only cache would otherwise recompute it at every start.
    cached_parallel_vectors(create_encoder(EmbedderConfig(cache_dir=serving_cache)), serving_cache)
    share_readable(serving_cache)
    return target


def check_serving_cache(serving_cache: Path) -> str:
    """Encode through the serving path alone; raise if it needs anything the cache or the venv lacks."""
    from index.embedding.embedder import EmbedderConfig
    from index.embedding.factory import create_embedder

    embedder = create_embedder(EmbedderConfig(cache_dir=serving_cache))
    vector = embedder.embed_queries(["Где пройдет 22-е заседание комиссии?"])[0]
    if abs(float(vector @ vector) - 1.0) > 1e-3:
        raise RuntimeError(f"the serving cache encodes a vector of norm {float(vector @ vector) ** 0.5:.3f}")
    imported = [name for name in NOT_FOR_SERVING if name in sys.modules]
    if imported:
        raise RuntimeError(f"serving imported {', '.join(imported)}")
    return f"{embedder.name}: {embedder.dimension} dimensions, served without {', '.join(NOT_FOR_SERVING)}"


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m index.embedding.serving_cache", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the default model, copy what serving reads")
    build.add_argument("build_cache", type=Path)
    build.add_argument("serving_cache", type=Path)
    check = sub.add_parser("check", help="encode a question from a serving cache")
    check.add_argument("serving_cache", type=Path)
    args = parser.parse_args(argv)
    if args.command == "build":
        target = build_serving_cache(args.build_cache, args.serving_cache)
        size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        print(f"serving cache {target}: {size / 1e6:.0f} MB")
    else:
        print(f"serving cache works: {check_serving_cache(args.serving_cache)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
