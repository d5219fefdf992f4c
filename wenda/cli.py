"""The `wenda` command line: a thin shell over the functions the bot calls.

Each subcommand builds `Settings`, calls one library function and prints.
Library errors become one friendly line here, and only here.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from index import BuildProgress, IndexBusy, IndexSummary, build_index
from index.figures import (
    extract_figures,
    figure_score_json,
    format_extraction,
    format_figure_score,
    label_figure,
    read_gold,
    score_figures,
)
from settings import Settings, SettingsError, load_settings, read_environment

logger = logging.getLogger(__name__)

EXIT_USAGE = 2
# `wenda index` lists articles and their headings when there are at most this many.
MAX_LISTED_ARTICLES = 20
MAX_LISTED_WARNINGS = 20


class CommandError(Exception):
    """A failure to report as one line, with an exit code."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _settings(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by --corpus / --db."""
    base = load_settings(read_environment())
    changes = {}
    if getattr(args, "corpus", None):
        changes["corpus_dir"] = Path(args.corpus)
    if getattr(args, "db", None):
        changes["db_path"] = Path(args.db)
    return Settings(**{**base.__dict__, **changes})


def _add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", metavar="DIR", help="folder of articles (env WENDA_CORPUS_DIR)")
    parser.add_argument(
        "--db", metavar="FILE", help="SQLite store (env WENDA_DB, default wenda.db)"
    )


class _ProgressPrinter:
    """A progress bar on a terminal, a plain line every few seconds elsewhere."""

    def __init__(self, stream=sys.stderr, interval: float = 2.0):
        self.stream = stream
        self.tty = stream.isatty()
        self.interval = interval
        self.last = 0.0

    def __call__(self, progress: BuildProgress) -> None:
        now = time.monotonic()
        final = progress.done == progress.total
        if self.tty:
            width = 30
            filled = width * progress.done // max(progress.total, 1)
            bar = "#" * filled + "-" * (width - filled)
            end = "\n" if final else ""
            self.stream.write(f"\r[{bar}] {progress.done}/{progress.total} files{end}")
            self.stream.flush()
        elif final or now - self.last >= self.interval:
            self.last = now
            print(
                f"indexed {progress.done}/{progress.total} files ({progress.path})",
                file=self.stream,
            )


def format_summary(summary: IndexSummary) -> str:
    """The end-of-reindex report, as lines of plain text."""
    lines = [
        f"documents: {summary.added} added, {summary.changed} changed, "
        f"{summary.removed} removed, {summary.unchanged} unchanged, {len(summary.skipped)} skipped",
    ]
    lines += [f"  skipped {item.path}: {item.reason}" for item in summary.skipped]
    if summary.warnings:
        lines.append(f"{len(summary.warnings)} bad records or lines skipped, the rest kept:")
        lines += [f"  {warning}" for warning in summary.warnings[:MAX_LISTED_WARNINGS]]
        if len(summary.warnings) > MAX_LISTED_WARNINGS:
            lines.append(f"  ... and {len(summary.warnings) - MAX_LISTED_WARNINGS} more")
    sections = sum(len(headings) for _, headings in summary.articles)
    lines.append(
        f"index: {summary.documents} documents, {len(summary.articles)} articles, "
        f"{sections} section headings, {summary.passages} passages, "
        f"{summary.sentences} sentences, {summary.figures} figures"
    )
    if len(summary.articles) <= MAX_LISTED_ARTICLES:
        for title, headings in summary.articles:
            lines.append(f"  《{title}》" + "".join(f"\n    › {h}" for h in headings))
    speed = f", {summary.chars_per_second:,.0f} chars/s" if summary.chars else ""
    lines.append(f"took {summary.seconds:.2f} s{speed}")
    return "\n".join(lines)


def _run_index(args: argparse.Namespace) -> int:
    settings = _settings(args)
    try:
        summary = build_index(
            settings.corpus_dir, settings.db_path, full=args.full, progress=_ProgressPrinter()
        )
    except (FileNotFoundError, IndexBusy) as error:
        raise CommandError(str(error)) from None
    print(format_summary(summary))
    return 0


def _add_index_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "index",
        help="build or update the index from the corpus folder",
        description="Build or update the SQLite index from a folder of articles. "
        "Incremental: unchanged files are not read again.",
        epilog="example: wenda index --corpus ../shared/corpus --db wenda.db",
    )
    _add_store_options(parser)
    parser.add_argument("--full", action="store_true", help="rebuild from scratch")
    parser.set_defaults(run=_run_index)


def _run_serve(args: argparse.Namespace) -> int:
    # Imported here: python-telegram-bot is only needed by this command.
    from bot import serve_bot

    try:
        serve_bot(_settings(args), verbose=args.verbose)
    except (FileNotFoundError, IndexBusy) as error:
        raise CommandError(str(error)) from None
    return 0


def _add_serve_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the Telegram bot (long polling, or a webhook)",
        description="Run the Telegram bot until SIGINT/SIGTERM. Needs TELEGRAM_BOT_TOKEN; "
        "WENDA_ADMIN_IDS may run /reindex; WENDA_WEBHOOK_URL switches to webhook mode. "
        "Builds the index first when it is missing.",
        epilog="example: TELEGRAM_BOT_TOKEN=123456:ABC... wenda serve --db wenda.db",
    )
    _add_store_options(parser)
    parser.set_defaults(run=_run_serve)


def _run_figures_extract(args: argparse.Namespace) -> int:
    """Read stdin as bytes, a line at a time, so that a bad line costs only itself.

    A line that is not UTF-8 is read with U+FFFD for its bad bytes (which
    leaves no lone surrogate) and still gets its JSON line; a line the
    extractor fails on is skipped. Either is one warning naming the line.
    """
    sys.stdout.reconfigure(encoding="utf-8")
    skipped = 0
    for number, line in enumerate(sys.stdin.buffer, start=1):
        raw = line.rstrip(b"\r\n")
        try:
            sentence = raw.decode("utf-8")
        except UnicodeDecodeError:
            logger.warning("line %d: not UTF-8, bad bytes read as U+FFFD", number)
            sentence = raw.decode("utf-8", errors="replace")
        try:
            figures = extract_figures(sentence)
        except Exception as error:  # one bad line must not lose the lines after it
            logger.warning("line %d: skipped, extraction failed: %r", number, error)
            skipped += 1
            continue
        print(format_extraction(sentence, figures), flush=True)
    return 1 if skipped else 0


def _run_figures_score(args: argparse.Namespace) -> int:
    try:
        records = read_gold(Path(args.gold))
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read gold file {args.gold}: {error}") from None
    score = score_figures(records)
    print(figure_score_json(score) if args.json else format_figure_score(score))
    return 0


def _add_figures_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "figures",
        help="extract figures from sentences, or score the extractor",
        description="Figures: the quantities in a sentence (money, percentages, counts, "
        "dates...), with their qualifier and what they measure.",
        epilog="example: echo '总营收同比增长11.4%%至311亿元' | wenda figures extract",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    extract = actions.add_parser(
        "extract",
        help="read sentences on stdin, write one JSON line of figures per sentence",
        description="Read UTF-8 text from standard input, one sentence a line; write one "
        'JSON object a line: {"sentence", "figures": [{"text", "kind", "value", "unit", '
        '"qualifier", "metric", "start", "end"}]} with character offsets into the line.',
        epilog="example: wenda figures extract < sentences.txt > figures.jsonl",
    )
    extract.set_defaults(run=_run_figures_extract)
    score = actions.add_parser(
        "score",
        help="score the extractor against a gold figures file",
        description="Score extracted figures against gold (figures_dev.jsonl format): span "
        "precision/recall/F1, value, kind, unit, qualifier and metric accuracy, false "
        "positives on sentences without figures, and sentences per second.",
        epilog="example: wenda figures score ../shared/eval/figures_dev.jsonl --json",
    )
    score.add_argument("gold", metavar="GOLD.jsonl", help="gold figures, one JSON object a line")
    score.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    score.set_defaults(run=_run_figures_score)


def _open_retriever(settings: Settings):
    """Open the store, building it first when there is none (or it is outdated)."""
    from retrieval import open_retriever
    from retrieval.ranker import ModelError

    try:
        retriever = open_retriever(settings.db_path, settings.corpus_dir,
                                   progress=_ProgressPrinter())
    except (FileNotFoundError, IndexBusy) as error:
        raise CommandError(str(error)) from None
    try:
        retriever.model  # noqa: B018 - load the answer model now: its errors are one line
    except ModelError as error:
        retriever.close()
        raise CommandError(str(error)) from None
    return retriever


def format_answer(answer) -> str:
    """An answer as a person reads it in a terminal."""
    lines = [f"问: {answer.question}"]
    if not answer.found:
        lines.append("没有找到答案: the articles do not seem to say.")
        if answer.nearest:
            lines.append("最接近的一句 (it may not answer the question):")
            lines += _format_hit(answer.nearest, "-")
        return "\n".join(lines)
    for number, hit in enumerate(answer.hits, 1):
        lines += _format_hit(hit, f"{number}.")
    return "\n".join(lines)


def _format_hit(hit, mark: str) -> list[str]:
    lines = [f"{mark} {hit.sentence}"]
    if hit.figures:
        stated = (label_figure(f, hit.sentence) for f in hit.figures)
        lines.append("   数字: " + "；".join(stated))
    section = f" › {hit.source.section}" if hit.source.section else ""
    lines.append(f"   来源: {hit.source.path} 《{hit.source.title}》{section}")
    return lines


def _run_ask(args: argparse.Namespace) -> int:
    import json

    from retrieval import EmptyQuestion
    from retrieval.answer import answer_to_dict

    question = " ".join(args.question).strip()
    if not question:
        raise CommandError("the question is empty: wenda ask 快手三季度营收多少", EXIT_USAGE)
    if args.top < 1:
        raise CommandError("--top must be at least 1", EXIT_USAGE)
    retriever = _open_retriever(_settings(args))
    try:
        answer = retriever.answer(question, top=args.top)
    except EmptyQuestion as error:
        raise CommandError(f"{error}: wenda ask 快手三季度营收多少", EXIT_USAGE) from None
    finally:
        retriever.close()
    if answer.truncated:
        print(f"wenda: the question was cut to {len(answer.question)} characters", file=sys.stderr)
    if args.json:
        print(json.dumps(answer_to_dict(answer), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return 0


def _add_ask_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "ask",
        help="answer a question from the articles",
        description="Answer a question with the best sentences of the articles, their source "
        "and their figures. Builds the index first when there is none.",
        epilog="example: wenda ask --corpus ../shared/corpus 快手三季度营收多少",
    )
    _add_store_options(parser)
    parser.add_argument("--top", type=int, default=3, metavar="N", help="answers to show (3)")
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: {"question", "found", "answers": [...]}',
    )
    parser.add_argument("question", nargs="*", help="the question, in Chinese or mixed")
    parser.set_defaults(run=_run_ask)


def _run_eval_squad(args: argparse.Namespace) -> int:
    import json
    import tempfile

    from retrieval.evaluate import evaluate_squad, format_squad_report
    from retrieval.squad import SquadError

    if not 0 <= args.absent_share < 1:
        raise CommandError("--absent-share must be at least 0 and below 1", EXIT_USAGE)
    with tempfile.TemporaryDirectory(prefix="wenda-eval-") as work:
        try:
            report = evaluate_squad(Path(args.squad), Path(work), absent_share=args.absent_share)
        except SquadError as error:
            raise CommandError(str(error)) from None
    if args.json:
        print(json.dumps({"metrics": report.metrics, "results": list(report.results)},
                         ensure_ascii=False))
    else:
        print(format_squad_report(report))
    return 0


def _run_eval(args: argparse.Namespace) -> int:
    import json

    from retrieval.answer import answer_to_dict
    from retrieval.evaluate import evaluate, format_report

    if args.squad:
        if args.file:
            raise CommandError("give either FILE.jsonl or --squad FILE.json", EXIT_USAGE)
        return _run_eval_squad(args)
    if not args.file:
        raise CommandError("give a question file (FILE.jsonl) or --squad FILE.json", EXIT_USAGE)

    try:
        with open(args.file, encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read {args.file}: {error}") from None
    if not all(isinstance(r, dict) and r.get("question") for r in records):
        raise CommandError(f'{args.file}: every line needs a "question"', EXIT_USAGE)
    retriever = _open_retriever(_settings(args))
    try:
        report = evaluate(retriever, records)
    finally:
        retriever.close()
    if args.json:
        results = [
            {"id": r.id, "ms": round(r.ms, 3), **answer_to_dict(r.answer)} for r in report.results
        ]
        print(json.dumps({"metrics": report.metrics(), "results": results}, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0


def _add_eval_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "eval",
        help="score the answers to a file of questions",
        description="Answer every question of a JSON-lines file (id, question, "
        "answer_sentence, figures, kind) in one process and print hit@1, hit@3, figure@1, "
        "negatives refused, answerable questions refused, latency p50/p95 and the questions "
        "it got wrong. With --squad, index a SQuAD-format file instead (every paragraph an "
        "article), ask every question of the whole collection and print hit@1, hit@3, "
        "article@1, answerable refused and latency beside plain rank_bm25 over jieba tokens.",
        epilog="examples: wenda eval ../shared/eval/dev.jsonl --corpus ../shared/corpus\n"
        "          wenda eval --squad ../shared/eval/external/drcd_test.json "
        "--absent-share 0.1",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_store_options(parser)
    parser.add_argument("file", metavar="FILE.jsonl", nargs="?",
                        help="questions with gold answers")
    parser.add_argument("--squad", metavar="FILE.json",
                        help="a SQuAD-format question set to index and answer")
    parser.add_argument("--absent-share", type=float, default=0.0, metavar="S",
                        help="with --squad: leave out this share of paragraphs (by a hash of "
                        "their text) and report how many of their questions are refused")
    parser.add_argument(
        "--json",
        action="store_true",
        help='print {"metrics": {...}, "results": [{"id", "ms", ...}]}',
    )
    parser.set_defaults(run=_run_eval)


def _run_train(args: argparse.Namespace) -> int:
    from retrieval.squad import SquadError
    from retrieval.train import FOLDS, default_model_path, format_report, run_training

    if not args.squad and not args.questions:
        raise CommandError("give at least one --squad FILE.json or --questions FILE.jsonl DIR",
                           EXIT_USAGE)
    logging.getLogger("retrieval.train").setLevel(logging.INFO)
    logging.getLogger("retrieval.train_figures").setLevel(logging.INFO)
    squad = [Path(f) for f in args.squad]
    questions = [(Path(f), Path(d)) for f, d in args.questions]
    try:
        if args.figures:
            from retrieval.train_figures import (
                default_figure_model_path,
                format_figure_report,
                run_figure_training,
            )

            output = Path(args.output) if args.output else default_figure_model_path()
            text = format_figure_report(run_figure_training(squad, questions, output,
                                                            folds=args.folds or FOLDS))
        else:
            output = Path(args.output) if args.output else default_model_path()
            text = format_report(run_training(squad, questions, output,
                                              folds=args.folds or FOLDS))
    except (SquadError, OSError, ValueError) as error:
        raise CommandError(f"cannot train: {error}") from None
    print(text)
    print(f"wrote {output}")
    return 0


def _add_train_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "train",
        help="retrain the answer ranker from question sets",
        description="Learn the answer ranker and the answerability model from SQuAD-format "
        "sets (every paragraph an article) and question files in dev.jsonl's format over "
        "their corpus; print the cross-validated metrics and write the model file. "
        "Deterministic: the same data gives the same file.",
        epilog="example: wenda train --squad ../shared/eval/external/cmrc2018_trial.json "
        "--squad ../shared/eval/external/drcd_test.json "
        "--questions ../shared/eval/dev.jsonl ../shared/corpus",
    )
    parser.add_argument("--squad", action="append", default=[], metavar="FILE.json",
                        help="a SQuAD-format question set (repeatable)")
    parser.add_argument("--questions", action="append", default=[], nargs=2,
                        metavar=("FILE.jsonl", "CORPUS_DIR"),
                        help="questions with gold answer sentences over a corpus (repeatable)")
    parser.add_argument("--output", metavar="FILE",
                        help="model file to write (default: the one the package ships)")
    parser.add_argument("--folds", type=int, metavar="N", help="cross-validation folds (5)")
    parser.add_argument("--figures", action="store_true",
                        help="train the model that lists the asked figure of a sentence first "
                        "instead (default output: the one the package ships)")
    parser.set_defaults(run=_run_train)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wenda",
        description="Wenda (问答): answers questions over a folder of Chinese news articles.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    _add_index_command(commands)
    _add_serve_command(commands)
    _add_figures_command(commands)
    _add_ask_command(commands)
    _add_eval_command(commands)
    _add_train_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        if args.verbose
        else "wenda: %(message)s",
    )
    try:
        return args.run(args) or 0
    except (CommandError, SettingsError) as error:
        print(f"wenda: {error}", file=sys.stderr)
        return getattr(error, "code", EXIT_USAGE)
    except KeyboardInterrupt:
        print("wenda: interrupted", file=sys.stderr)
        return 130
