"""Bulk runs: many reports in; facts, findings, a dataset, a workbook and HTML pages out.

Every file is processed on its own, in a forked process (local engine) or on a
Dask worker (dask engine).  Each finished file leaves its result in
``OUT/.parts/<sha256>.*`` (written to a temporary name, then renamed), so the
parent never holds all results, a crash or a timeout costs one file, and a
rerun skips every file whose sha256 (with the same pipeline version) is done.
The final outputs are assembled from the parts by streaming, again through
temporary files.
"""

from __future__ import annotations

import faulthandler
import hashlib
import json
import multiprocessing as mp
import multiprocessing.connection
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .errors import PatternError, UnreadableReport
from .model import Limits

SEVERITIES = ("error", "warning", "info")
ERROR_COLUMNS = ("path", "reason", "code", "message")
DOCUMENT_COLUMNS = (
    "doc_id", "source", "path", "format", "department", "year", "kind", "region", "pages", "source_kind",
    "facts", "findings_error", "findings_warning", "findings_info",
    "checks_run", "checks_passed", "checks_failed", "checks_skipped", "status",
)
_SKIP_SUFFIXES = (".gold.json",)
_SKIP_NAMES = {"eval.json"}


# --------------------------------------------------------------------------- version


def pipeline_version() -> str:
    """The package version plus a digest of the code and patterns: results of another version are redone.

    ``$JIXIAO_PIPELINE_VERSION`` overrides it (benchmarks in a tree others are editing).
    """
    from . import __version__

    if os.environ.get("JIXIAO_PIPELINE_VERSION"):
        return os.environ["JIXIAO_PIPELINE_VERSION"]
    from .patterns import patterns_dir

    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for p in sorted(here.rglob("*.py")) + sorted(patterns_dir().glob("*.yaml")):  # rglob: readers/ too
        h.update(str(p.relative_to(p.parent.parent if p.suffix == ".yaml" else here)).encode())
        h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class Item:
    """One input file: where it is and its content hash (the key of its results)."""

    path: str  # a local path or an fsspec URL
    sha256: str


def _is_url(s: str) -> bool:
    return "://" in s and not s.startswith("file://")


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in _SKIP_NAMES or name.endswith(_SKIP_SUFFIXES)


def read_path_list(path: Path) -> list[str] | None:
    """The paths listed in ``path`` if it is a path list (every non-empty line an existing path), else None."""
    if path.suffix.lower() not in (".txt", ".lst") or path.stat().st_size > 4_000_000:
        return None
    try:
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8-sig").splitlines()]
    except (UnicodeDecodeError, OSError):
        return None
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if not lines:
        return None
    out = []
    for ln in lines:
        if _is_url(ln):
            out.append(ln)
            continue
        cand = Path(ln).expanduser()
        if not cand.is_absolute() and (path.parent / cand).exists():
            cand = path.parent / cand
        if not cand.exists():
            return None
        out.append(str(cand))
    return out


def collect(inputs: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[str]:
    """Every report file named by ``inputs`` (files, folders walked recursively, path lists), each once.

    Real paths are tracked, so symlink loops end and a file reached twice is read once;
    hidden files, gold annotations and ``exclude`` folders (the output folder) are left out.
    """
    seen_files: set[str] = set()
    seen_dirs: set[str] = set()
    excluded = {os.path.realpath(p) for p in exclude}
    out: list[str] = []

    def add_file(p: Path) -> None:
        real = os.path.realpath(p)
        if real not in seen_files and os.path.isfile(real):
            seen_files.add(real)
            out.append(str(p))

    def walk(d: Path) -> None:
        real = os.path.realpath(d)
        if real in seen_dirs or real in excluded:
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            return
        for e in entries:
            if _skipped(e.name):
                continue
            p = Path(e.path)
            if p.is_dir():  # follows symlinks; loops stop at seen_dirs
                walk(p)
            elif p.is_file():
                add_file(p)

    def visit(spec: str | Path, top: bool) -> None:
        s = str(spec)
        if _is_url(s):
            out.extend(_expand_url(s))
            return
        p = Path(s).expanduser()
        if p.is_dir():
            walk(p)
        elif p.is_file():
            listed = read_path_list(p) if top else None
            if listed is not None:
                for q in listed:
                    visit(q, False)
            else:
                add_file(p)
        else:
            out.append(s)  # missing: becomes a not_found row

    for spec in inputs:
        visit(spec, True)
    return out


def _expand_url(url: str) -> list[str]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    proto = url.split("://", 1)[0]
    if fs.isdir(root):
        names = [n for n in fs.find(root) if not any(_skipped(part) for part in n.split("/"))]
        return [f"{proto}://{n}" for n in sorted(names)]
    return [url]


def sha256_of(path: str) -> str | None:
    """The file's sha256 (streamed), or None when it cannot be opened."""
    h = hashlib.sha256()
    opener = open
    if _is_url(path):
        import fsspec

        opener = fsspec.open
    try:
        with opener(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


# --------------------------------------------------------------------------- one file


def process(path: str, limits: Limits | None, html: bool) -> dict[str, Any]:
    """Run the pipeline on one file and return its result as plain data (a payload).

    Unreadable input and unexpected exceptions become an ``error`` payload; a
    MemoryError becomes ``crashed``.  Remote URLs are copied to a temporary file first.
    """
    from . import pipeline

    tmp = None
    try:
        local = path
        if _is_url(path):
            local, tmp = _fetch(path)
        result = pipeline.check(local, limits=limits)
        payload = _payload(result, path, html)
    except UnreadableReport as exc:
        exc.path = path
        payload = {"status": "error", "error": exc.as_row()}
    except MemoryError:
        payload = {"status": "error", "error": UnreadableReport("crashed", path, "MemoryError").as_row()}
    except PatternError as exc:  # the patterns changed under the run: not this file's fault, redo it next time
        payload = {"status": "error", "error": UnreadableReport("internal", path, str(exc)[:300]).as_row(), "persist": False}
    except Exception as exc:  # a bug in a stage must not stop the run
        detail = f"{type(exc).__name__}: {exc}"[:300]
        row = UnreadableReport("internal", path, detail).as_row()
        row["trace"] = traceback.format_exc(limit=6)
        payload = {"status": "error", "error": row}
    finally:
        if tmp:
            os.unlink(tmp)
    return payload


def _fetch(url: str) -> tuple[str, str]:
    import fsspec

    suffix = Path(url.split("?", 1)[0]).suffix
    fd, tmp = tempfile.mkstemp(suffix=suffix, prefix="jixiao-")
    with os.fdopen(fd, "wb") as out, fsspec.open(url, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            out.write(block)
    return tmp, tmp


def _payload(result: Any, path: str, html: bool) -> dict[str, Any]:
    from . import dataset

    doc = result.document
    sev = {s: 0 for s in SEVERITIES}
    for f in result.findings:
        sev[f.severity] = sev.get(f.severity, 0) + 1
    kinds = {p.source_kind for p in doc.pages} or {"text"}
    m = doc.metadata
    row = {
        "doc_id": doc.doc_id, "source": doc.source, "path": path, "format": doc.format,
        "department": m.department, "year": m.year, "kind": m.kind, "region": m.region,
        "pages": len(doc.pages), "source_kind": kinds.pop() if len(kinds) == 1 else "mixed",
        "facts": len(result.facts),
        **{f"findings_{s}": sev.get(s, 0) for s in SEVERITIES},
        **result.coverage(), "status": "ok",
    }
    out = {
        "status": "ok",
        "document": row,
        "outcomes": [{"rule": o.rule, "status": o.status, "detail": o.detail} for o in result.outcomes],
        "facts": dataset.fact_rows(result.facts),
        "findings": dataset.finding_rows(result.findings),
        "warnings": list(doc.warnings),
    }
    if html:
        from . import report

        out["html"] = report.document_page(doc, result.facts, result.findings)
    return out


# --------------------------------------------------------------------------- parts on disk


class Parts:
    """``OUT/.parts``: one manifest (JSON) and two parquet files per finished sha256."""

    def __init__(self, out: Path, version: str) -> None:
        self.out = out
        self.dir = out / ".parts"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.version = version

    def manifest_path(self, sha: str) -> Path:
        return self.dir / f"{sha}.json"

    def facts_path(self, sha: str) -> Path:
        return self.dir / f"{sha}.facts.parquet"

    def findings_path(self, sha: str) -> Path:
        return self.dir / f"{sha}.findings.parquet"

    def take_transient(self, sha: str) -> dict[str, Any] | None:
        """A result the worker reported but did not store (patterns broke mid-run), once."""
        p = self.dir / f"{sha}.transient"
        try:
            man = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        p.unlink()
        return man

    def done(self, sha: str) -> dict[str, Any] | None:
        """The manifest of a finished file of this version, else None."""
        try:
            man = json.loads(self.manifest_path(sha).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return man if man.get("version") == self.version else None

    def write(self, item: Item, payload: dict[str, Any], seconds: float = 0.0) -> dict[str, Any]:
        """Write one file's results; the manifest is renamed into place last, so it marks completion."""
        from . import dataset

        if payload.get("persist") is False:  # reported to the parent, not remembered for the rerun
            man = {"status": payload["status"], "error": payload["error"], "sha256": item.sha256, "path": item.path}
            atomic_write_text(self.dir / f"{item.sha256}.transient", json.dumps(man, ensure_ascii=False))
            return man
        man: dict[str, Any] = {"version": self.version, "sha256": item.sha256, "path": item.path,
                               "status": payload["status"], "seconds": round(seconds, 3),
                               "rss_mb": _rss_mb()}
        if payload["status"] == "ok":
            dataset.write_parquet(payload["facts"], dataset.FACT_SCHEMA, self.facts_path(item.sha256))
            dataset.write_parquet(payload["findings"], dataset.FINDING_SCHEMA, self.findings_path(item.sha256))
            man["document"] = payload["document"]
            man["outcomes"] = payload["outcomes"]
            man["warnings"] = payload.get("warnings", [])
            if payload.get("html") is not None:
                reports = self.out / "reports"
                reports.mkdir(exist_ok=True)
                atomic_write_text(reports / f"{payload['document']['doc_id'][:12]}.html", payload["html"])
        else:
            man["error"] = payload["error"]
        atomic_write_text(self.manifest_path(item.sha256), json.dumps(man, ensure_ascii=False, default=str))
        return man


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding=encoding)
    os.replace(tmp, path)


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --------------------------------------------------------------------------- engines


def _child(item: Item, parts: Parts, limits: Limits | None, html: bool) -> None:
    """Body of a forked worker: one file, results to disk, then exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what happens on Ctrl-C
    _die_with_parent()
    faulthandler.disable()  # a crash becomes a `crashed` row, not a traceback dump
    t0 = time.perf_counter()
    payload = process(item.path, limits, html)
    parts.write(item, payload, time.perf_counter() - t0)
    sys.stdout.flush()
    os._exit(0)


def _die_with_parent() -> None:
    """Linux: a worker is killed when the parent dies (SIGKILL on the run leaves no orphans writing later)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def preflight() -> None:
    """Run the pipeline once on a tiny text: loads patterns, dictionaries and models (which forked
    workers then inherit) and stops the run with the PatternError if a patterns file is invalid."""
    from . import ingest, pipeline

    doc = ingest.from_text("一、部门基本情况\n2020年度部门预算支出1,234.56万元，执行率98.5%。\n", source="preflight.txt")
    try:
        pipeline.check(doc)
        from . import nlp

        nlp.words("调整后预算数")  # jieba's dictionary and POS model load lazily (~2 s): once here, not in every worker
    except PatternError:
        raise
    except Exception:  # a stage still missing or broken: each file will report it
        pass


def _warm_up() -> None:
    """Import the readers and every stage in the parent, so forked workers do not each import them."""
    import importlib
    import pkgutil

    from . import __path__ as package_path

    for mod in ["pdfplumber", "pypdfium2", "docx", "bs4", "lxml.html", "charset_normalizer"] + [
        m.name for m in pkgutil.walk_packages(package_path, prefix="extractor.", onerror=lambda _: None)
    ]:
        try:
            importlib.import_module(mod)
        except Exception:  # optional or broken: the file that needs it will say so
            pass


def run_local(todo: list[Item], parts: Parts, workers: int, limits: Limits, html: bool,
              on_done: Callable[[Item, dict[str, Any]], None]) -> None:
    """One forked process per file, at most ``workers`` at a time; crashes and timeouts cost one file."""
    ctx = mp.get_context("fork")
    if len(todo) > 2 * workers:  # pays off only when many files share it
        _warm_up()
    pending = list(reversed(todo))
    running: dict[int, tuple[Any, Item, float]] = {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                item = pending.pop()
                proc = ctx.Process(target=_child, args=(item, parts, limits, html), daemon=True)
                proc.start()
                running[proc.sentinel] = (proc, item, time.monotonic())
            ready = mp.connection.wait(list(running), timeout=0.5)
            now = time.monotonic()
            for key in list(running):
                proc, item, started = running[key]
                if key in ready:
                    proc.join()
                    del running[key]
                    man = (parts.done(item.sha256) or parts.take_transient(item.sha256)) if proc.exitcode == 0 else None
                    if man is None:
                        detail = f"exit code {proc.exitcode}" + (f" (signal {-proc.exitcode})" if (proc.exitcode or 0) < 0 else "")
                        man = {"status": "error", "error": UnreadableReport("crashed", item.path, detail).as_row()}
                    on_done(item, man)
                elif limits.timeout and now - started > limits.timeout:
                    proc.kill()
                    proc.join()
                    del running[key]
                    err = UnreadableReport("timeout", item.path, f"over {limits.timeout:g} s").as_row()
                    on_done(item, {"status": "error", "error": err})
    finally:
        for proc, _, _ in running.values():
            proc.kill()
            proc.join()


def _dask_job(path: str, limits: Limits | None, html: bool) -> tuple[dict[str, Any], float]:
    t0 = time.perf_counter()
    payload = process(path, limits, html)
    return payload, time.perf_counter() - t0


def run_dask(todo: list[Item], parts: Parts, scheduler: str | None, workers: int, limits: Limits, html: bool,
             on_done: Callable[[Item, dict[str, Any]], None]) -> None:
    """The same per-file job on a Dask cluster; the parent writes each result as it arrives.

    At most a few tasks per worker are in flight, so the parent's memory stays bounded.
    Without ``scheduler`` a LocalCluster of ``workers`` processes is started.
    """
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        queue = list(reversed(todo))
        by_key: dict[str, Item] = {}
        ac = as_completed()

        def submit() -> None:
            item = queue.pop()
            fut = client.submit(_dask_job, item.path, limits, html, key=f"jixiao-{item.sha256}-{len(queue)}", pure=False)
            by_key[fut.key] = item
            ac.add(fut)

        for _ in range(min(len(queue), 3 * n_workers)):
            submit()
        for fut in ac:
            item = by_key.pop(fut.key)
            try:
                payload, seconds = fut.result()
                man = parts.write(item, payload, seconds)
                if payload.get("persist") is False:
                    parts.take_transient(item.sha256)
            except Exception as exc:  # the worker died or the task was lost
                man = {"status": "error", "error": UnreadableReport("crashed", item.path, f"{type(exc).__name__}: {exc}"[:300]).as_row()}
            fut.release()
            on_done(item, man)
            if queue:
                submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------- the run


def run(inputs: Iterable[str | Path] | str | Path, out: str | Path, workers: int | None = None, quiet: bool = False,
        engine: str = "local", scheduler: str | None = None, db: str | None = None, limits: Limits | None = None,
        html: bool = True, xlsx: bool = True) -> dict[str, Any]:
    """Process every report under ``inputs`` into ``out``; returns the summary (``ok`` True when the run finished)."""
    from . import dataset, report

    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    limits = limits or Limits()
    workers = workers or os.cpu_count() or 1
    version = pipeline_version()
    parts = Parts(out, version)
    t0 = time.perf_counter()

    paths = collect(inputs, exclude=[out])
    items: list[Item] = []
    errors: list[dict[str, Any]] = []
    for p in paths:
        sha = None if (not _is_url(p) and not os.path.exists(p)) else sha256_of(p)
        if sha is None:
            errors.append(UnreadableReport("not_found", p).as_row())
        else:
            items.append(Item(p, sha))
    unique: dict[str, Item] = {}
    for it in items:
        unique.setdefault(it.sha256, it)
    todo = [it for it in unique.values() if parts.done(it.sha256) is None]
    manifests: dict[str, dict[str, Any]] = {}
    progress = Progress(total=len(unique), quiet=quiet)
    progress.advance(len(unique) - len(todo), fresh=False)
    failed: dict[str, dict[str, Any]] = {}

    def on_done(item: Item, man: dict[str, Any]) -> None:
        if man.get("status") != "ok":
            man.setdefault("sha256", item.sha256)
            failed[item.sha256] = man
        progress.advance(1, errors=1 if man.get("status") != "ok" else 0)

    if todo:
        preflight()
    with progress:
        if todo:
            if engine == "dask":
                run_dask(todo, parts, scheduler, workers, limits, html, on_done)
            elif engine == "local":
                run_local(todo, parts, workers, limits, html, on_done)
            else:
                raise ValueError(f"unknown engine {engine!r}")
    processed = len(todo)

    for it in unique.values():
        man = failed.get(it.sha256) or parts.done(it.sha256)
        if man is not None:
            manifests[it.sha256] = man
    ordered = [manifests[s] for s in unique if s in manifests]
    for man in ordered:
        if man.get("status") != "ok":
            row = {k: man["error"].get(k, "") for k in ERROR_COLUMNS}
            row["sha256"] = man.get("sha256")  # the doc_id of its documents row
            errors.append(row)

    state = {"version": version, "shas": [m["sha256"] for m in ordered if "sha256" in m], "errors": errors,
             "db": db, "html": html, "xlsx": xlsx}
    fingerprint = hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()
    stamp = parts.dir / "assembled.state"
    unchanged = processed == 0 and _read_json(stamp).get("fingerprint") == fingerprint and dataset.outputs_present(out, html, xlsx)
    oks = [m for m in ordered if m.get("status") == "ok"]
    if not unchanged:
        counts = dataset.assemble(out, parts, oks, errors, db=db)
        if html:
            report.write_index(out, [m["document"] for m in oks])
        if xlsx:
            report.write_workbook(out, db_path=out / "dataset.duckdb")
        atomic_write_text(stamp, json.dumps({"fingerprint": fingerprint, "counts": counts}))
    else:
        counts = _read_json(stamp).get("counts", {})

    by_reason: dict[str, int] = {}
    for e in errors:
        by_reason[e["reason"]] = by_reason.get(e["reason"], 0) + 1
    summary = {
        "ok": True,
        "files": len(paths),
        "reports_read": len(oks),
        "processed": processed,
        "skipped_done": len(unique) - len(todo),
        "duplicates": len(items) - len(unique),
        "facts": counts.get("facts", 0),
        "findings": counts.get("findings", {}),
        "errors": by_reason,
        "seconds": round(time.perf_counter() - t0, 2),
        "assembled": not unchanged,
        "out": str(out),
        "version": version,
    }
    if not quiet:
        print_summary(summary)
    return summary


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}



# --------------------------------------------------------------------------- progress and summary


class Progress:
    """A rich progress bar on stderr: files done/total, files per second, errors so far, ETA."""

    def __init__(self, total: int, quiet: bool = False) -> None:
        self.total, self.quiet = total, quiet
        self.done = self.errors = self.fresh = 0
        self.t0 = time.monotonic()
        self._bar = None
        if not quiet:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

            self._bar = Bar(TextColumn("reports"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]} files/s"), TextColumn("errors {task.fields[errors]}"),
                            TextColumn("ETA"), TimeRemainingColumn(), console=Console(stderr=True), transient=False)
            self._task = self._bar.add_task("run", total=total, rate="-", errors=0)

    def __enter__(self) -> "Progress":
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, n: int, errors: int = 0, fresh: bool = True) -> None:
        self.done += n
        self.errors += errors
        if fresh:
            self.fresh += n
        if self._bar is not None:
            elapsed = max(time.monotonic() - self.t0, 1e-6)
            self._bar.update(self._task, completed=self.done, errors=self.errors, rate=f"{self.fresh / elapsed:.2f}")


def print_summary(summary: dict[str, Any]) -> None:
    """One screen: reports read, facts, findings by severity, errors by reason."""
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True)
    t = Table(title=f"jixiao run -> {summary['out']}", show_header=False)
    t.add_column("what")
    t.add_column("count", justify="right")
    t.add_row("files found", str(summary["files"]))
    t.add_row("reports read", str(summary["reports_read"]))
    t.add_row("processed now / already done", f"{summary['processed']} / {summary['skipped_done']}")
    t.add_row("facts", str(summary["facts"]))
    for sev in SEVERITIES:
        t.add_row(f"findings: {sev}", str(summary["findings"].get(sev, 0)))
    for reason, n in sorted(summary["errors"].items()):
        t.add_row(f"errors: {reason}", str(n))
    t.add_row("seconds", f"{summary['seconds']}")
    console.print(t)
