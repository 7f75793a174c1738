"""Render evaluation results: a terminal table, Markdown, JSON and a PNG chart."""

from __future__ import annotations

import json
from pathlib import Path

METRICS = ("recall@1", "recall@5", "mrr@10", "answer_sentence_accuracy", "answer_rate", "abstain_rate_when_absent")
HEADERS = ("lang", "method", "R@1", "R@5", "MRR@10", "answer sent.", "answered", "abstained (absent)")


def xquad_rows(result: dict) -> list[list[str]]:
    rows = []
    for lang, methods in sorted(result.get("xquad", {}).items(), key=lambda kv: kv[0] != "ru"):
        for method, scores in methods.items():
            rows.append([lang, method] + [f"{scores.get(m, float('nan')):.3f}" for m in METRICS])
    return rows


def table(headers: tuple[str, ...] | list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def markdown_table(headers: tuple[str, ...] | list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def seed_rows(result: dict) -> list[list[str]]:
    rows = []
    for q in result.get("seed", {}).get("questions", []):
        answer = q["answer"] or "(abstained)"
        rows.append(["✓" if q["right"] else "✗", q["id"], q["lang"], q["question"], answer[:90]])
    return rows


def terminal_report(result: dict) -> str:
    parts = []
    if "seed" in result:
        seed = result["seed"]
        parts.append(f"Seed questions: {seed['right']}/{seed['total']} right")
        parts.append(table(("ok", "id", "lang", "question", "answer"), seed_rows(result)))
    if "xquad" in result:
        parts.append("\nXQuAD (each passage a document; abstention: the question's article masked)")
        parts.append(table(HEADERS, xquad_rows(result)))
    parts.append(f"\n({result.get('seconds', 0)} s, model {result.get('model')})")
    return "\n".join(parts)


def markdown_report(result: dict, chart: str | None) -> str:
    parts = [
        "# Evaluation",
        "",
        f"Model: `{result.get('model')}`, abstain margin {result['settings']['abstain_margin']}.",
    ]
    if "seed" in result:
        seed = result["seed"]
        parts += ["", f"## Seed questions: {seed['right']}/{seed['total']} right", ""]
        parts.append(markdown_table(("ok", "id", "lang", "question", "answer"), seed_rows(result)))
    if "xquad" in result:
        parts += ["", "## XQuAD-ru (240 Russian passages; questions in Russian and English)", ""]
        parts.append(markdown_table(HEADERS, xquad_rows(result)))
        parts += [
            "",
            "*answered*: share of answerable questions the engine answered; *abstained (absent)*: share of "
            "questions whose whole article was masked at search time that the engine correctly declined.",
        ]
    if chart:
        parts += ["", f"![Recall@k and abstention trade-off]({chart})"]
    return "\n".join(parts) + "\n"


def chart(result: dict, path: Path, threshold: float) -> bool:
    """Recall@k per method and language; answer rate vs abstention over the margin threshold."""
    if "xquad" not in result:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    ks = (1, 3, 5, 10)
    styles = {"hybrid": "-", "dense": "--", "lexical": ":"}
    for lang, methods in sorted(result["xquad"].items()):
        for method, scores in methods.items():
            left.plot(
                ks, [scores[f"recall@{k}"] for k in ks], styles.get(method, "-"), marker="o", label=f"{lang} {method}"
            )
    left.set(title="Recall@k (passage retrieval)", xlabel="k", ylabel="recall", xticks=ks, ylim=(0, 1.02))
    left.grid(alpha=0.3)
    left.legend(fontsize=8)
    for lang, methods in sorted(result["xquad"].items()):
        curve = methods["hybrid"]["abstention_curve"]
        right.plot(curve["thresholds"], curve["answer_rate"], "-", label=f"{lang}: answered (answerable)")
        right.plot(curve["thresholds"], curve["abstain_rate_when_absent"], "--", label=f"{lang}: abstained (absent)")
    right.axvline(threshold, color="grey", lw=1)
    right.set(title="Abstention trade-off (hybrid)", xlabel="ABSTAIN_MARGIN", ylabel="rate", ylim=(0, 1.02))
    right.grid(alpha=0.3)
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_reports(result: dict, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "eval.json", out / "eval.md"]
    (out / "eval.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    has_chart = chart(result, out / "eval.png", result["settings"]["abstain_margin"])
    if has_chart:
        written.append(out / "eval.png")
    (out / "eval.md").write_text(markdown_report(result, "eval.png" if has_chart else None), "utf-8")
    return written


# ---- bench ---------------------------------------------------------------------------------
def bench_tables(result: dict) -> list[tuple[str, tuple[str, ...], list[list[str]]]]:
    """(title, headers, rows) for every part of a bench result."""
    tables = ocr_tables(result.get("ocr"))
    if "indexing" not in result:  # `bench --ocr-only`
        return tables
    ix = result["indexing"]
    float_row = []
    if ix.get("float32_pipeline_seconds"):
        seconds = ix["float32_pipeline_seconds"]
        float_row = [
            ["the same pipeline on the float32 graph (QUANTIZE=false)", f"{seconds}",
             f"{ix['chunks'] / seconds:.2f}", f"{ix['float32_throughput_ratio']:.2f}"]
        ]  # fmt: skip
    tables.append(
        (
            f"Indexing ({ix['documents']} documents, {ix['chunks']} chunks, {ix['sentences']} sentences)",
            ("what", "seconds", "chunks/s", "ratio"),
            [
                ["raw sentence-transformers encode of the chunks", f"{ix['raw_seconds']}",
                 f"{ix['raw_chunks_per_s']}", "1.00"],
                [f"full pipeline ({ix.get('backend', '?')} encoder; sentences embedded, chunk vectors "
                 "composed, SQLite, FAISS, BM25)",
                 f"{ix['pipeline_seconds']}",
                 f"{ix['pipeline_chunks_per_s']}", f"{ix['throughput_ratio']:.2f}"],
                *float_row,
                [f"incremental rebuild, {ix['incremental_changed']} documents changed", f"{ix['incremental_seconds']}",
                 "", f"{ix['incremental_ratio']:.2%} of full"],
            ],
        )
    )  # fmt: skip
    rows = [
        [f"{r['chunks']:,}", f"{r['synthetic_chunks']:,}", r["vector_index"], f"{r['p50']}", f"{r['p95']}",
         f"{r['p99']}", f"{r['answered_top1_gold']}", f"{r['peak_rss_mb']:.0f}"]
        for r in result["latency"]
    ]  # fmt: skip
    tables.append(
        (
            "Query latency, question in -> answer out (ms), synthetic filler beyond the real chunks",
            ("chunks", "synthetic", "FAISS index", "p50", "p95", "p99", "top-1 gold", "peak RSS MB"),
            rows,
        )
    )
    st = result["start"]
    tables.append(
        (
            "Process start to first answer (`commission-bot ask`)",
            ("cold (model converted first)", "warm"),
            [[f"{st['cold_seconds']} s", f"{st['warm_seconds']} s"]],
        )
    )
    peer = result.get("peer")
    if peer:
        if "skipped" in peer:
            tables.append(("Peer: LangChain FAISS", ("note",), [[peer["skipped"]]]))
        else:
            ours = result["latency"][0]
            tables.append(
                (
                    "Side by side with LangChain (same model, chunks and questions)",
                    ("system", "index chunks/s", "query p50 ms", "p95", "p99", "top-1 gold", "answer sentence",
                     "abstains"),
                    [
                        ["this engine", f"{ix['pipeline_chunks_per_s']}", f"{ours['p50']}", f"{ours['p95']}",
                         f"{ours['p99']}", f"{ours['answered_top1_gold']}", "yes", "yes"],
                        ["LangChain FAISS + HuggingFaceEmbeddings", f"{peer['chunks_per_s']}", f"{peer['p50']}",
                         f"{peer['p95']}", f"{peer['p99']}", f"{peer['answered_top1_gold']}", "no", "no"],
                    ],
                )
            )  # fmt: skip
    tables.append(("Targets", ("target", "measured", "met"), target_rows(result)))
    return tables


def ocr_tables(ocr: dict | None) -> list[tuple[str, tuple[str, ...], list[list[str]]]]:
    if not ocr:
        return []
    if "skipped" in ocr:
        return [("OCR", ("note",), [[ocr["skipped"]]])]
    variants = list(next(iter(ocr["accuracy"].values())))
    rows = [
        [kind, *(f"{scores[v]['accuracy']:.1%} ({scores[v]['seconds']} s)" for v in variants)]
        for kind, scores in ocr["accuracy"].items()
    ]
    speed = ocr["speed"]
    return [
        (
            f"OCR character accuracy (seconds per page, one Tesseract), a dense A4 page, {ocr['languages']}",
            ("page", *variants),
            rows,
        ),
        (
            f"OCR speed: {speed['pages']} scanned pages through a build, {speed['workers']} workers",
            ("what", "seconds", "pages per minute"),
            [
                ["cold (empty OCR cache)", f"{speed['cold_seconds']}", f"{speed['cold_pages_per_minute']}"],
                ["`index --full` again (from the cache)", f"{speed['cached_seconds']}",
                 f"{speed['cached_pages_per_minute']}"],
                ["work per page (cleaning + Tesseract), cold", f"{speed['work_seconds_per_page']}", ""],
            ],
        ),
    ]  # fmt: skip


def target_rows(result: dict) -> list[list[str]]:
    """The issue's targets against this run's figures."""
    ix, st = result["indexing"], result["start"]

    def row(name: str, measured: str, met: bool) -> list[str]:
        return [name, measured, "yes" if met else "NO"]

    rows = [
        row("indexing >= 1.5x raw float32", f"{ix['throughput_ratio']:.2f}x", ix["throughput_ratio"] >= 1.5),
        row("incremental 1 of 200 <= 2% of full", f"{ix['incremental_ratio']:.2%}", ix["incremental_ratio"] <= 0.02),
    ]
    at_10k = [r for r in result["latency"] if r["chunks"] == 10_000]
    if at_10k:
        r = at_10k[0]
        rows.append(row("p50 <= 20 ms at 10k chunks", f"{r['p50']} ms", r["p50"] <= 20))
        rows.append(row("p99 <= 60 ms at 10k chunks", f"{r['p99']} ms", r["p99"] <= 60))
    rows.append(row("warm start <= 5 s", f"{st['warm_seconds']} s", st["warm_seconds"] <= 5))
    peer = result.get("peer")
    if peer and "skipped" not in peer:
        ours = result["latency"][0]
        figures = [
            ("index chunks/s", ix["pipeline_chunks_per_s"], peer["chunks_per_s"], True),
            ("query p50", ours["p50"], peer["p50"], False),
            ("query p95", ours["p95"], peer["p95"], False),
            ("query p99", ours["p99"], peer["p99"], False),
            ("top-1 gold", ours["answered_top1_gold"], peer["answered_top1_gold"], True),
        ]
        for name, mine, theirs, higher_is_better in figures:
            ahead = mine > theirs if higher_is_better else mine < theirs
            rows.append(row(f"ahead of LangChain: {name}", f"{mine} vs {theirs}", ahead))
    return rows


def bench_terminal(result: dict) -> str:
    parts = [f"Machine: {result['machine']}; corpus: {result['corpus']}"]
    for title, headers, rows in bench_tables(result):
        parts += ["", title, table(headers, rows)]
    parts.append(f"\n({result['seconds']} s)")
    return "\n".join(parts)


def write_bench(result: dict, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    md = ["# Benchmark", "", f"Machine: {result['machine']}. Corpus: {result['corpus']}."]
    for title, headers, rows in bench_tables(result):
        md += ["", f"## {title}", "", markdown_table(headers, rows)]
    (out / "bench.md").write_text("\n".join(md) + "\n", "utf-8")
    return [out / "bench.json", out / "bench.md"]
