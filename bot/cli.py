"""`commission-bot`: index, ask, run (and eval, bench, report). Flags override environment settings."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from bot.config import Settings, describe_invalid_settings
from bot.terminal import ProgressBar, console_chat, format_reply
from index.builder import MissingDocumentsFolder
from index.embedding.cache_access import ModelCacheUnreadable
from index.embedding.model_tools import ModelToolsMissing
from index.engine import Engine
from index.folders import FolderNotWritable
from index.store import BuildInProgress

# Problems of the set-up, not of the program: one line saying what to change, no traceback.
SETUP_PROBLEMS = (FolderNotWritable, ModelToolsMissing, ModelCacheUnreadable)

logger = logging.getLogger("commission_bot")


def configure_logging(level: str) -> None:
    # Environment, not transformers' own API: importing transformers only to quieten it costs ~1 s
    # of start-up in a process that serves through ONNX Runtime and never needs it.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # transformers follows this too
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("sentence_transformers", "transformers", "faiss", "httpx", "huggingface_hub", "aiogram.event"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged PDFs are reported per file already


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "documents", None):
        overrides["documents_dir"] = Path(args.documents)
    if getattr(args, "index_dir", None):
        overrides["index_dir"] = Path(args.index_dir)
    return Settings(**overrides)


def _build(engine: Engine, full: bool) -> int:
    bar = ProgressBar()
    try:
        report = engine.build(full=full, progress=bar)
    except (BuildInProgress, MissingDocumentsFolder, FolderNotWritable) as exc:
        bar.close()
        print(f"Not started: {exc}", file=sys.stderr)
        return 2
    bar.close()
    print(report.summary(), file=sys.stderr)
    return 0


def _ready_engine(settings: Settings) -> Engine | None:
    """Load the index, building it first if there is none; note (not wait for) a stale one."""
    engine = Engine.from_settings(settings)
    if engine.load() is None:
        print(f"No index in {settings.index_dir} yet: building it from {settings.documents_dir}.", file=sys.stderr)
        if _build(engine, full=False) != 0:
            return None
    elif engine.is_stale():
        print(
            "Note: the documents changed since the index was built; answers come from the existing index. "
            "Run `commission-bot index` to update it.",
            file=sys.stderr,
        )
    return engine


def cmd_index(args: argparse.Namespace) -> int:
    return _build(Engine.from_settings(_settings(args)), args.full)


def cmd_ask(args: argparse.Namespace) -> int:
    engine = _ready_engine(_settings(args))
    if engine is None:
        return 2
    questions = [args.question] if args.question else (line.strip() for line in sys.stdin)
    for question in questions:
        if not question:
            continue
        reply = engine.ask(question, k=args.k)
        if args.json:
            print(json.dumps(reply.as_json(), ensure_ascii=False), flush=True)
        else:
            print(format_reply(reply) + "\n", flush=True)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings.bot_token is None:
        engine = _ready_engine(settings)
        if engine is None:
            return 2
        print(
            "No BOT_TOKEN set: answering here in the console.\n"
            "To connect Telegram: create a bot with @BotFather, then set BOT_TOKEN=<token> "
            "(in the environment or .env) and run `commission-bot run` again.",
            file=sys.stderr,
        )
        console_chat(engine)
        return 0
    from bot.runners import run_bot  # aiogram is only needed when Telegram is used

    return run_bot(settings)


EVAL_DATA = Path("eval")  # shipped with the project: seed questions and XQuAD-ru (CC BY-SA 4.0)
DEFAULT_XQUAD_QUESTIONS = (
    EVAL_DATA / "xquad-ru" / "questions.jsonl",
    EVAL_DATA / "xquad-ru" / "questions-more-langs.jsonl",
)


FOLLOW_UPS = (
    "follow-up pairs about the documents folder (id, lang, earlier, question, expect), asked alone and after the "
    "earlier question"
)
CORPUS_FOLLOW_UPS = (
    "follow-up pairs about the --corpus archive (with doc and also, as its questions), e.g. "
    "eval/followups-commission-news.jsonl with --corpus ../shared/eval/commission-news"
)
NEAR_DUPLICATES = "questions in groups of near duplicates (group, lang, question): how /report groups them"


def _tqdm_factory(label: str, total: int) -> Callable[[int], None]:
    """A progress callback (items done since the last call) drawing one bar, closed when full."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=label, file=sys.stderr)

    def advance(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return advance


def cmd_eval(args: argparse.Namespace) -> int:
    from index.evaluation.report import terminal_report, write_reports
    from index.evaluation.runner import EvalInputs, run_evaluation

    settings = _settings(args)
    seed = None if args.no_seed else Path(args.seed)
    passages = None if args.no_xquad else Path(args.passages)
    questions = () if args.no_xquad else tuple(Path(q) for q in (args.questions or DEFAULT_XQUAD_QUESTIONS))
    corpus_docs = Path(args.corpus_docs) if args.corpus_docs else (Path(args.corpus) / "docs" if args.corpus else None)
    corpus_questions = (
        Path(args.corpus_questions)
        if args.corpus_questions
        else (Path(args.corpus) / "questions.jsonl" if args.corpus else None)
    )
    if (corpus_docs is None) != (corpus_questions is None):
        print("An archive needs both its documents and its questions (--corpus DIR, or both flags)", file=sys.stderr)
        return 2
    for path in (seed, passages, *questions, corpus_questions):
        if path is not None and not path.is_file():
            print(f"Evaluation file not found: {path} (see --help for the options)", file=sys.stderr)
            return 2
    if corpus_docs is not None and not corpus_docs.is_dir():
        print(f"Archive documents folder not found: {corpus_docs}", file=sys.stderr)
        return 2
    follow_ups = None if args.no_followups else Path(args.followups)
    corpus_follow_ups = Path(args.corpus_followups) if args.corpus_followups else None
    if corpus_follow_ups is not None and corpus_docs is None:
        print("--corpus-followups needs the archive they are about (--corpus DIR)", file=sys.stderr)
        return 2
    near_duplicates = None if args.no_grouping else Path(args.near_duplicates)
    for path in (follow_ups, corpus_follow_ups, near_duplicates):
        if path is not None and not path.is_file():
            print(f"Evaluation file not found: {path} (see --help for the options)", file=sys.stderr)
            return 2
    inputs = EvalInputs(
        seed, passages, questions, Path(args.out), tuple(args.lang or ()), corpus_docs, corpus_questions,
        follow_ups, corpus_follow_ups, near_duplicates,
    )  # fmt: skip
    result = run_evaluation(settings, inputs, progress_factory=_tqdm_factory)
    print(terminal_report(result))
    written = write_reports(result, Path(args.out))
    print("\nWritten: " + ", ".join(str(p) for p in written))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """What /report shows admins: ratings, and the questions the archive failed, grouped."""
    from bot.feedback import FeedbackStore, build_report, report_csv, report_text
    from bot.texts import texts_for

    settings = _settings(args)
    path = settings.feedback_path
    if not path.exists():
        print(f"No answer log at {path} yet: the bot writes it as staff ask (FEEDBACK_DB).", file=sys.stderr)
        return 0
    store = FeedbackStore(path, settings.feedback_days)
    try:
        store.purge()
        summary = store.summary()
    finally:
        store.close()
    engine = Engine.from_settings(settings)  # its model loads only if there are questions to group
    made = build_report(summary, lambda texts: engine.embedder.embed_queries(texts), settings.feedback_days)
    t = texts_for(args.language)
    print(report_text(made, t, html=False))
    if args.csv:
        Path(args.csv).write_bytes(report_csv(made, t))
        print(f"\nWritten: {args.csv}", file=sys.stderr)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from index.evaluation.bench import BenchInputs, run_bench
    from index.evaluation.report import bench_terminal, write_bench

    settings = _settings(args)
    for path in (Path(args.passages), Path(args.questions)):
        if not path.is_file():
            print(f"Benchmark file not found: {path}", file=sys.stderr)
            return 2
    sizes = tuple(int(s) for s in args.sizes.split(","))
    inputs = BenchInputs(Path(args.passages), Path(args.questions), Path(args.out) / "work", sizes, args.queries,
                         args.documents_count, not args.no_peer, not args.no_ocr, args.ocr_only)  # fmt: skip
    result = run_bench(settings, inputs, say=lambda s: print(f"· {s}", file=sys.stderr, flush=True))
    print(bench_terminal(result))
    print("\nWritten: " + ", ".join(str(p) for p in write_bench(result, Path(args.out))))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="commission-bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_paths(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--documents", metavar="DIR", help="documents folder (DOCUMENTS_DIR)")
        p.add_argument("--index-dir", metavar="DIR", help="index folder (INDEX_DIR)")
        return p

    p = with_paths(sub.add_parser("index", help="build or update the index from the documents folder"))
    p.add_argument("--full", action="store_true", help="rebuild every vector instead of only changed documents")
    p.set_defaults(func=cmd_index)

    p = with_paths(sub.add_parser("ask", help="answer a question (or one per line from stdin)"))
    p.add_argument("question", nargs="?", metavar="QUESTION")
    p.add_argument("--json", action="store_true", help="one JSON object per question")
    p.add_argument("-k", type=int, default=None, metavar="N", help="passages to return (TOP_K)")
    p.set_defaults(func=cmd_ask)

    p = with_paths(sub.add_parser("run", help="the Telegram bot if BOT_TOKEN is set, else a console chat"))
    p.set_defaults(func=cmd_run)

    p = with_paths(
        sub.add_parser("eval", help="answer quality: seed questions, XQuAD in every language, an archive (--corpus)")
    )
    p.add_argument(
        "--seed",
        default=str(EVAL_DATA / "seed-questions.jsonl"),
        metavar="FILE",
        help="questions about the documents folder (id, lang, question, expect)",
    )
    p.add_argument(
        "--passages",
        default=str(EVAL_DATA / "xquad-ru" / "passages.jsonl"),
        metavar="FILE",
        help="XQuAD-format passages (id, title, text)",
    )
    p.add_argument(
        "--questions",
        action="append",
        metavar="FILE",
        help="XQuAD-format questions (id, question, answer, passage_id, lang); repeatable; default: "
        "the shipped Russian, English and six more languages",
    )
    p.add_argument("--lang", action="append", help="only XQuAD questions in this language (repeatable)")
    p.add_argument("--no-seed", action="store_true", help="skip the seed questions")
    p.add_argument("--no-xquad", action="store_true", help="skip XQuAD")
    p.add_argument(
        "--corpus",
        metavar="DIR",
        help="an archive to evaluate: DIR/docs (documents, with sidecars) and DIR/questions.jsonl "
        "(id, lang, question, expect, doc, also)",
    )
    p.add_argument("--corpus-docs", metavar="DIR", help="the archive's documents folder (instead of --corpus)")
    p.add_argument("--corpus-questions", metavar="FILE", help="the archive's questions file (instead of --corpus)")
    p.add_argument("--followups", default=str(EVAL_DATA / "followups-seed.jsonl"), metavar="FILE", help=FOLLOW_UPS)
    p.add_argument("--corpus-followups", metavar="FILE", help=CORPUS_FOLLOW_UPS)
    p.add_argument("--no-followups", action="store_true", help="skip the follow-ups about the documents folder")
    p.add_argument(
        "--near-duplicates", default=str(EVAL_DATA / "near-duplicates.jsonl"), metavar="FILE", help=NEAR_DUPLICATES
    )
    p.add_argument("--no-grouping", action="store_true", help="skip the near-duplicate grouping")
    p.add_argument("--out", default="var/eval", metavar="DIR", help="where JSON, Markdown and PNG go")
    p.set_defaults(func=cmd_eval)

    p = with_paths(sub.add_parser("report", help="ratings of answers and what the archive lacks (as /report)"))
    p.add_argument("--csv", metavar="FILE", help="also write every failed question, grouped, as CSV")
    p.add_argument("--language", default="en", choices=("ru", "en", "kk", "az"), help="language of the report")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("bench", help="indexing speed, incremental cost, query latency, start time, LangChain peer")
    p.add_argument("--passages", default=str(EVAL_DATA / "xquad-ru" / "passages.jsonl"), metavar="FILE")
    p.add_argument("--questions", default=str(EVAL_DATA / "xquad-ru" / "questions.jsonl"), metavar="FILE")
    p.add_argument("--sizes", default="1000,10000,100000", help="index sizes (chunks) for the latency rows")
    p.add_argument("--queries", type=int, default=200, help="questions timed at each size (half ru, half en)")
    p.add_argument("--documents-count", type=int, default=200, help="passages indexed as documents")
    p.add_argument("--no-peer", action="store_true", help="skip the LangChain row")
    p.add_argument("--no-ocr", action="store_true", help="skip the OCR figures")
    p.add_argument("--ocr-only", action="store_true", help="only the OCR figures (accuracy, pages per minute)")
    p.add_argument("--out", default="var/bench", metavar="DIR")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings_level = Settings().log_level
    except Exception:  # invalid settings are reported below, when the command reads them
        settings_level = "INFO"
    configure_logging(settings_level)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except ValidationError as exc:
        if exc.title != Settings.__name__:  # the settings' own errors only
            raise
        print(describe_invalid_settings(exc), file=sys.stderr)
        return 2
    except SETUP_PROBLEMS as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
