"""``jixiao``: a thin command line over the API.  ``main(argv)`` so tests call it directly.

Exit codes: 0 ok, 2 usage error, 3 unreadable input (reason on stderr), 4 invalid patterns.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import JixiaoError, PatternError, UnreadableReport
from .model import Limits

EXIT_OK, EXIT_USAGE, EXIT_UNREADABLE, EXIT_PATTERNS = 0, 2, 3, 4


def _limits(args: argparse.Namespace) -> Limits:
    d = Limits()
    return Limits(
        max_file_mb=getattr(args, "max_file_mb", d.max_file_mb),
        max_pages=getattr(args, "max_pages", d.max_pages),
        max_chars_per_page=getattr(args, "max_chars", d.max_chars_per_page),
        timeout=getattr(args, "timeout", d.timeout),
        ocr=not getattr(args, "no_ocr", False),
    )


def _add_limits(p: argparse.ArgumentParser) -> None:
    d = Limits()
    g = p.add_argument_group("limits (per file)")
    g.add_argument("--max-file-mb", type=int, default=d.max_file_mb, metavar="MB", help=f"largest file read (default {d.max_file_mb})")
    g.add_argument("--max-pages", type=int, default=d.max_pages, metavar="N", help=f"most pages read from one PDF (default {d.max_pages})")
    g.add_argument("--max-chars", type=int, default=d.max_chars_per_page, metavar="N", help=f"most characters kept per page (default {d.max_chars_per_page})")
    g.add_argument("--timeout", type=float, default=d.timeout, metavar="S", help=f"seconds allowed per file (default {d.timeout:g})")
    g.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")


# --------------------------------------------------------------------------- verbs


def cmd_read(args: argparse.Namespace) -> int:
    from .pipeline import read

    doc = read(args.file, _limits(args))
    if args.json:
        data = doc.to_dict()
        for t, out in zip(doc.tables, data["tables"]):
            out["start"], out["end"] = t.start, t.end  # where the table sits in "text"
        print(json.dumps(data, ensure_ascii=False, indent=1, default=str))
        return EXIT_OK
    page = None
    out = []
    for i, ch in enumerate(doc.text):
        p = doc.char_page[i]
        if p != page:
            out.append(f"\n=== page {p} ===\n")
            page = p
        out.append(ch)
    m = doc.metadata
    print(f"# {doc.source}  department={m.department}  year={m.year}  kind={m.kind}  region={m.region}")
    print("".join(out).lstrip("\n"))
    for w in doc.warnings:
        print(w, file=sys.stderr)
    return EXIT_OK


def cmd_quantities(args: argparse.Namespace) -> int:
    from . import quantities
    from .pipeline import read

    doc = read(args.file, _limits(args))
    found = quantities.find(doc)
    rows = [quantities.as_row(q, doc) for q in found]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        _print_table(rows, ["kind", "value", "unit", "value_wanyuan", "comparator", "page", "surface", "rule", "quote"], title=f"{len(rows)} quantities in {doc.source}")
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from .frames import facts_frame
    from .pipeline import extract, read

    doc = read(args.file, _limits(args))
    facts = extract(doc)
    if args.format == "json":
        # one object per fact with exactly the table's columns; every value a string (Decimals exact), null when unknown
        rows = [{k: (None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v))
                 for k, v in f.as_row(extended=args.extended).items()} for f in facts]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    frame = facts_frame(facts, extended=args.extended)  # the json form above needs no DataFrame
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif args.format == "parquet":
        if not args.output:
            raise _Usage("--format parquet needs -o FILE")
        frame.to_parquet(args.output, index=False)
        print(f"wrote {len(frame)} facts to {args.output}", file=sys.stderr)
    else:
        _print_table(frame.to_dict("records"), ["page", "subject", "metric", "stage", "value", "unit", "label", "rule"], title=f"{len(frame)} facts in {doc.source}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .frames import findings_frame
    from .pipeline import check

    result = check(args.file, limits=_limits(args))
    if args.format == "json":
        print(json.dumps([{**f.as_row(), "source_kind": f.source_kind} for f in result.findings], ensure_ascii=False, indent=1, default=str))
    elif args.format == "csv":
        sys.stdout.write(findings_frame(result.findings).to_csv(index=False))
    else:
        rows = [
            {
                "severity": f.severity,
                "rule": f.rule,
                "message": f.message,
                "evidence": "\n".join(_evidence(result.document, x) for x in f.facts),
            }
            for f in result.findings
        ]
        _print_table(rows, ["severity", "rule", "message", "evidence"], title=f"{len(rows)} findings in {result.document.source}")
    if args.explain:
        _print_table(
            [{"rule": o.rule, "status": o.status, "detail": o.detail} for o in result.outcomes],
            ["rule", "status", "detail"],
            title="rules: " + ", ".join(f"{k}={v}" for k, v in result.coverage().items()),
            stream=sys.stderr if args.format != "table" else sys.stdout,
        )
    return EXIT_OK


def _evidence(doc, fact) -> str:
    """Where a figure was printed: page, offsets and the words around it (the cell for a table figure)."""
    text = doc.text
    if 0 <= fact.start < fact.end <= len(text) and fact.table_id is None:
        around = text[max(0, fact.start - 24) : fact.end + 6].replace("\n", " ")
    else:
        around = f"{fact.table_id or ''} r{fact.row} c{fact.col} {fact.label}".strip()
    return f"p.{fact.page} [{fact.start}:{fact.end}] …{around}…"


def cmd_eval(args: argparse.Namespace) -> int:
    from . import evaluate

    report = evaluate.evaluate(Path(args.dir), out_json=Path(args.json_out) if args.json_out else None, limit=args.limit)
    evaluate.render(report, worst=args.worst)
    return EXIT_OK


def cmd_corpus(args: argparse.Namespace) -> int:
    from . import generate

    if args.corpus_cmd != "generate":
        raise _Usage("usage: jixiao corpus generate --n N --seed S -o DIR")
    paths = generate.generate(n=args.n, seed=args.seed, out=Path(args.output), pdf=not args.no_pdf, docx_share=args.docx_share, error_share=args.error_share)
    print(f"wrote {len(paths)} reports to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from . import bulk

    summary = bulk.run(
        args.inputs,
        Path(args.output),
        workers=args.workers,
        quiet=args.quiet,
        engine=args.engine,
        scheduler=args.scheduler,
        db=args.db,
        limits=_limits(args),
        html=not args.no_html,
        xlsx=not args.no_xlsx,
    )
    return EXIT_OK if summary.get("ok", True) else 1


# --------------------------------------------------------------------------- plumbing


class _Usage(Exception):
    pass


def _print_table(rows: list[dict], columns: list[str], title: str = "", stream=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream or sys.stdout, width=200 if not (stream or sys.stdout).isatty() else None)
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
    console.print(table)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jixiao", description="Read, extract and check Chinese budget performance self-evaluation reports (绩效自评报告).")
    parser.add_argument("--version", action="version", version="jixiao 0.1.0")
    sub = parser.add_subparsers(dest="cmd", metavar="COMMAND")

    p = sub.add_parser("read", help="print a report's normalized text with page markers (--json: the Document)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the Document as JSON")
    _add_limits(p)
    p.set_defaults(func=cmd_read)

    p = sub.add_parser("quantities", help="every amount, rate and count with kind, value, unit, page and quote")
    p.add_argument("file")
    p.add_argument("--format", choices=["table", "json"], default="table")
    _add_limits(p)
    p.set_defaults(func=cmd_quantities)

    p = sub.add_parser("extract", help="the normalized fact table of one report")
    p.add_argument("file")
    p.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    p.add_argument("-o", "--output", help="output file (parquet)")
    p.add_argument("--extended", action="store_true", help="add the extra columns (fact_id, parent, indicator fields, table cell)")
    _add_limits(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("check", help="arithmetic and budget-discipline findings of one report, with evidence")
    p.add_argument("file")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--explain", action="store_true", help="list every rule as passed / failed / skipped (missing: …)")
    _add_limits(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("eval", help="score extraction and checks against gold annotations in DIR")
    p.add_argument("dir")
    p.add_argument("--json-out", help="where to write eval.json (default DIR/eval.json)")
    p.add_argument("--worst", type=int, default=15, help="how many misses to list (default 15)")
    p.add_argument("--limit", type=int, default=None, help="evaluate only the first N reports")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("corpus", help="generate a synthetic corpus with ground truth")
    csub = p.add_subparsers(dest="corpus_cmd", metavar="generate")
    g = csub.add_parser("generate", help="write N reports (text, PDF, some DOCX) with gold JSON")
    g.add_argument("--n", type=int, default=20)
    g.add_argument("--seed", type=int, default=7)
    g.add_argument("-o", "--output", required=True)
    g.add_argument("--no-pdf", action="store_true", help="text (and gold) only")
    g.add_argument("--docx-share", type=float, default=0.2, help="share of reports also written as DOCX (default 0.2)")
    g.add_argument("--error-share", type=float, default=0.3, help="share of reports with planted inconsistencies (default 0.3)")
    p.set_defaults(func=cmd_corpus)

    p = sub.add_parser("run", help="bulk run: facts, findings, dataset.duckdb, audit.xlsx and HTML reports for many files")
    p.add_argument("inputs", nargs="+", help="files, folders (recursive) or .txt/.lst files listing paths")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: the number of cores)")
    p.add_argument("--engine", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", help="dask scheduler address tcp://HOST:PORT (with --engine dask)")
    p.add_argument("--db", help="database URL (default: OUT/dataset.duckdb; postgresql://… for a shared server)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.add_argument("--no-html", action="store_true", help="skip reports/*.html")
    p.add_argument("--no-xlsx", action="store_true", help="skip audit.xlsx")
    _add_limits(p)
    p.set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for usage
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except _Usage as exc:
        print(f"jixiao: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UnreadableReport as exc:
        print(f"jixiao: {exc.message}", file=sys.stderr)
        return EXIT_UNREADABLE
    except PatternError as exc:
        print(f"jixiao: {exc}", file=sys.stderr)
        return EXIT_PATTERNS
    except JixiaoError as exc:
        print(f"jixiao: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("jixiao: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: a coded message, the traceback only on request
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        where = getattr(args, "file", None) or getattr(args, "dir", None)
        print(f"jixiao: {UnreadableReport('internal', where, f'{type(exc).__name__}: {exc}').message} (JIXIAO_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
