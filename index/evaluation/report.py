"""Render evaluation results: a terminal table, Markdown, JSON and a PNG chart."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

RETRIEVAL_METRICS = ("recall@1", "recall@5", "mrr@10")
ASK_METRICS = (
    "right_through_ask",
    "top_passage_right",
    "answer_sentence_right",
    "answerable_refused",
    "absent_refused",
)
ASK_HEADERS = ("lang", "R@1 hybrid", "R@1 dense", "R@1 lexical", "right through ask", "top passage right",
               "answer sentence", "answerable refused", "absent refused")  # fmt: skip
CORPUS_METRICS = (
    "answer_sentence_right",
    "right_document_first",
    "answerable_refused",
    "unanswerable_refused",
)
CORPUS_HEADERS = ("questions", "answerable", "answer sentence right", "right document first", "answerable refused",
                  "unanswerable", "unanswerable refused")  # fmt: skip
LANGUAGE_ORDER = ("ru", "en", "kk", "az", "tr", "de", "es", "vi", "ro", "el", "hi", "th")


def _language_key(lang: str) -> tuple[int, str]:
    return (LANGUAGE_ORDER.index(lang), lang) if lang in LANGUAGE_ORDER else (len(LANGUAGE_ORDER), lang)


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def xquad_rows(result: dict) -> list[list[str]]:
    xquad = result.get("xquad", {})
    rows = []
    for lang in sorted(xquad.get("ask", {}), key=_language_key):
        retrieval = xquad["retrieval"].get(lang, {})
        ask = xquad["ask"][lang]
        r1 = [_f(retrieval.get(m, {}).get("recall@1")) for m in ("hybrid", "dense", "lexical")]
        rows.append([lang, *r1, *(_f(ask[m]) for m in ASK_METRICS)])
    return rows


def xquad_summary(result: dict) -> str:
    """The mean and lowest "right through ask" and "absent refused" over the languages other than ru and en."""
    ask = result.get("xquad", {}).get("ask", {})
    others = [lang for lang in ask if lang not in ("ru", "en")]
    if not others:
        return ""
    right = [ask[lang]["right_through_ask"] for lang in others]
    refused = [ask[lang]["absent_refused"] for lang in others]
    return (
        f"Other languages ({', '.join(sorted(others, key=_language_key))}): right through ask mean "
        f"{np.mean(right):.3f}, lowest {min(right):.3f}; absent refused lowest {min(refused):.3f}."
    )


def corpus_rows(result: dict) -> list[list[str]]:
    rows = []
    for name, g in result.get("corpus", {}).get("groups", {}).items():
        label = name.replace("lang:", "questions in ").replace("half:", "half ")
        rows.append([label, str(g["answerable"]), *(_f(g[m]) for m in CORPUS_METRICS[:3]), str(g["unanswerable"]),
                     _f(g["unanswerable_refused"])])  # fmt: skip
    return rows


def miss_rows(result: dict, limit: int | None = None) -> list[list[str]]:
    rows = []
    for m in result.get("corpus", {}).get("misses", [])[:limit]:
        expected = "; ".join(f"{d}: {p}" for d, p in (m["expected"] or {}).items()) or "(no answer in the archive)"
        got = f"{m['got_document']}: {m['got']}" if m["got"] else "(refused)"
        rows.append([m["id"], m["lang"], m["question"][:90], expected[:90], got[:120]])
    return rows


def table(headers: tuple[str, ...] | list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def markdown_table(headers: tuple[str, ...] | list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out)


def seed_rows(result: dict) -> list[list[str]]:
    rows = []
    for q in result.get("seed", {}).get("questions", []):
        answer = q["answer"] or "(abstained)"
        rows.append(["✓" if q["right"] else "✗", q["id"], q["lang"], q["question"], answer[:90]])
    return rows


FOLLOW_UP_HEADERS = ("follow-ups", "pairs", "answerable", "right alone", "right with context",
                     "unanswerable refused alone", "with context")  # fmt: skip


def follow_up_rows(result: dict) -> list[list[str]]:
    """One row per follow-up set: answered right when asked alone and when asked after the earlier question."""
    sets = [("documents folder", result.get("followups")), ("archive", result.get("corpus", {}).get("followups"))]
    rows = []
    for name, f in sets:
        if not f:
            continue
        alone, with_context = f["without_context"], f["with_context"]
        unanswerable = f["total"] - f["answerable"]
        rows.append([f"{name} ({Path(f['file']).name})", str(f["total"]), str(f["answerable"]),
                     str(alone["answerable_right"]), str(with_context["answerable_right"]),
                     f"{alone['unanswerable_refused']}/{unanswerable}",
                     f"{with_context['unanswerable_refused']}/{unanswerable}"])  # fmt: skip
    return rows


def follow_up_notes(result: dict) -> list[str]:
    notes = []
    unrelated = result.get("corpus", {}).get("unrelated_context")
    if unrelated:
        notes.append(
            f"Archive questions asked right after an unrelated one (as if taken for follow-ups): "
            f"{unrelated['right_after_unrelated']}/{unrelated['total']} right, alone {unrelated['right_alone']}."
        )
    grouping = result.get("grouping")
    if grouping:
        at = next(row for row in grouping["sweep"] if row["threshold"] == grouping["threshold"])
        sweep = ", ".join(f"{row['threshold']:.2f}: {row['f1']:.3f}" for row in grouping["sweep"])
        notes.append(
            f"/report grouping of {grouping['questions']} questions in {grouping['groups']} groups of near duplicates "
            f"at cosine {grouping['threshold']}: B-cubed precision {at['precision']:.3f}, recall {at['recall']:.3f}, "
            f"F1 {at['f1']:.3f} (F1 by threshold: {sweep})."
        )
    return notes


def terminal_report(result: dict) -> str:
    parts = []
    if "seed" in result:
        seed = result["seed"]
        parts.append(f"Seed questions: {seed['right']}/{seed['total']} right")
        parts.append(table(("ok", "id", "lang", "question", "answer"), seed_rows(result)))
    if "xquad" in result:
        x = result["xquad"]
        parts.append(
            f"\nXQuAD: Recall@1 over all {x['passages']} passages; through ask with {x['indexed_for_ask']} passages "
            "indexed (questions on the other articles must be refused)"
        )
        parts.append(table(ASK_HEADERS, xquad_rows(result)))
        parts.append(xquad_summary(result))
    if "corpus" in result:
        c = result["corpus"]
        parts.append(f"\nArchive {c['documents_dir']} ({c['documents']} documents), through ask")
        parts.append(table(("group", *CORPUS_HEADERS[1:]), corpus_rows(result)))
        parts.append(f"\nMisses ({len(c['misses'])}; all in the JSON and Markdown reports), first 15:")
        parts.append(table(("id", "lang", "question", "expected", "got"), miss_rows(result, 15)))
    if follow_up_rows(result):
        parts.append("\nFollow-up questions, asked alone and after the question they follow")
        parts.append(table(FOLLOW_UP_HEADERS, follow_up_rows(result)))
    parts += follow_up_notes(result)
    parts.append(f"\n({result.get('seconds', 0)} s, model {result.get('model')})")
    return "\n".join(parts)


def markdown_report(result: dict, chart: str | None) -> str:
    s = result["settings"]
    parts = [
        "# Evaluation",
        "",
        f"Model: `{result.get('model')}`; ABSTAIN_MARGIN {s['abstain_margin']}, TOPIC_MARGIN {s['topic_margin']}, "
        f"LANGUAGE_NEUTRAL {s['language_neutral']}.",
    ]
    if "seed" in result:
        seed = result["seed"]
        parts += ["", f"## Seed questions: {seed['right']}/{seed['total']} right", ""]
        parts.append(markdown_table(("ok", "id", "lang", "question", "answer"), seed_rows(result)))
    if "xquad" in result:
        x = result["xquad"]
        parts += [
            "",
            f"## XQuAD-ru ({x['passages']} Russian passages; questions in every language of the files)",
            "",
            markdown_table(ASK_HEADERS, xquad_rows(result)),
            "",
            xquad_summary(result),
            "",
            f"*R@1*: the question's passage ranked first among all {x['passages']}. The other columns follow the "
            f"absent-article protocol: {x['indexed_for_ask']} passages (articles 0-39) indexed, every question asked "
            "through the engine's answer path. *right through ask*: answered, from the question's passage (a refusal "
            "is a miss); *top passage right*: the passage the answer comes (or would come) from is the question's, "
            "refused or not; *answer sentence*: answered from the right passage with the gold span in the answer "
            "sentence; *absent refused*: questions on articles 40-47 that were refused.",
        ]
    if "corpus" in result:
        c = result["corpus"]
        parts += [
            "",
            f"## Archive `{c['documents_dir']}` ({c['documents']} documents), asked through `ask`",
            "",
            markdown_table(("group", *CORPUS_HEADERS[1:]), corpus_rows(result)),
            "",
            "Halves A and B split the archive by document (a question goes with the document that answers it).",
            "",
            f"### Misses ({len(c['misses'])})",
            "",
            markdown_table(("id", "lang", "question", "expected", "got"), miss_rows(result)),
        ]
    if follow_up_rows(result):
        parts += ["", "## Follow-up questions", "", markdown_table(FOLLOW_UP_HEADERS, follow_up_rows(result))]
    notes = follow_up_notes(result)
    if notes:
        parts += ["", *notes]
    if chart:
        parts += ["", f"![Quality per question language]({chart})"]
    return "\n".join(parts) + "\n"


def chart(result: dict, path: Path) -> bool:
    """Bars per question language: XQuAD through ask and absent refused; the archive's figures."""
    panels = [name for name in ("xquad", "corpus") if name in result]
    if not panels:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(7 * len(panels), 4.5), squeeze=False)
    for ax, panel in zip(axes[0], panels, strict=True):
        if panel == "xquad":
            ask = result["xquad"]["ask"]
            langs = sorted(ask, key=_language_key)
            series = {
                "R@1 hybrid (all passages)": [
                    result["xquad"]["retrieval"][lang]["hybrid"]["recall@1"] for lang in langs
                ],
                "right through ask": [ask[lang]["right_through_ask"] for lang in langs],
                "absent refused": [ask[lang]["absent_refused"] for lang in langs],
            }
            title = "XQuAD-ru by question language"
        else:
            groups = result["corpus"]["groups"]
            langs = [n.removeprefix("lang:") for n in groups if n.startswith("lang:")]
            names = ["all", "same language", "cross-language"] + [f"lang:{lang}" for lang in langs]
            names = [n for n in names if n in groups]
            series = {
                "answer sentence right": [groups[n]["answer_sentence_right"] for n in names],
                "right document first": [groups[n]["right_document_first"] for n in names],
                "answerable refused": [groups[n]["answerable_refused"] for n in names],
            }
            langs = [n.removeprefix("lang:").replace(" language", "").replace("-language", "") for n in names]
            title = f"Archive ({result['corpus']['documents']} documents)"
        width = 0.8 / len(series)
        x = np.arange(len(langs))
        for i, (label, values) in enumerate(series.items()):
            ax.bar(x + (i - (len(series) - 1) / 2) * width, values, width, label=label)
        ax.set(title=title, xticks=x, xticklabels=langs, ylim=(0, 1.05))
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_reports(result: dict, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "eval.json", out / "eval.md"]
    (out / "eval.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    has_chart = chart(result, out / "eval.png")
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
