"""Benchmark ``jixiao run``: reports/minute, speed-up from 1 to 2 workers, peak memory per worker, rerun time.

    python benchmarks/bench_run.py --n 200            # generated PDFs (falls back to text copies)

Figures are printed and written to ``WORKDIR/bench.json``.  The corpus is generated
once per (n, seed) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

from extractor import bulk


def corpus(n: int, seed: int, workdir: Path) -> tuple[list[Path], str]:
    """``n`` generated PDF reports; text copies of the generated text when PDFs cannot be made."""
    d = workdir / f"corpus-{n}-{seed}"
    if not d.exists():
        from extractor import generate

        tmp = workdir / f".corpus-{n}-{seed}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            generate.generate(n, seed, tmp, pdf=True, docx_share=0.0)
        except Exception as exc:  # the PDF renderer is not there: text is better than nothing
            print(f"PDF generation failed ({type(exc).__name__}: {exc}); using text", file=sys.stderr)
            shutil.rmtree(tmp, ignore_errors=True)
            generate.generate(n, seed, tmp, pdf=False, docx_share=0.0)
        tmp.rename(d)
    pdfs = sorted(d.rglob("*.pdf"))
    if len(pdfs) >= n:
        return pdfs[:n], "pdf"
    return sorted(p for p in d.rglob("*.txt"))[:n], "text"


def timed_run(files: list[Path], out: Path, workers: int) -> tuple[float, dict]:
    t0 = time.perf_counter()
    summary = bulk.run([str(f) for f in files], out, workers=workers, quiet=True)
    return time.perf_counter() - t0, summary


def worker_rss(out: Path) -> list[float]:
    """Peak RSS (MB) each worker reported for its file, in processing order."""
    mans = [json.loads(p.read_text()) for p in (out / ".parts").glob("*.json")]
    return [m["rss_mb"] for m in sorted(mans, key=lambda m: m.get("path", "")) if "rss_mb" in m]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--workdir", default="/tmp/jixiao-bench")
    ap.add_argument("--skip-one", action="store_true", help="skip the --workers 1 run (no speed-up figure)")
    args = ap.parse_args(argv)
    # others may edit the code between the runs; "nothing changed" is what this measures
    os.environ["JIXIAO_PIPELINE_VERSION"] = bulk.pipeline_version()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    files, kind = corpus(args.n, args.seed, workdir)
    print(f"{len(files)} {kind} reports", file=sys.stderr)
    res: dict = {"n": len(files), "kind": kind}
    if not args.skip_one:
        out1 = workdir / "out-w1"
        shutil.rmtree(out1, ignore_errors=True)
        t1, s1 = timed_run(files, out1, 1)
        res.update(seconds_w1=round(t1, 1), per_minute_w1=round(len(files) / t1 * 60, 1))
    out2 = workdir / "out-w2"
    shutil.rmtree(out2, ignore_errors=True)
    t2, s2 = timed_run(files, out2, 2)
    res.update(seconds_w2=round(t2, 1), per_minute_w2=round(len(files) / t2 * 60, 1), reports_read=s2["reports_read"],
               facts=s2["facts"], findings=s2["findings"], errors=s2["errors"])
    if not args.skip_one:
        res["speedup"] = round(t1 / t2, 2)
    tr, sr = timed_run(files, out2, 2)
    res.update(rerun_seconds=round(tr, 2), rerun_share=round(tr / t2, 4), rerun_processed=sr["processed"])
    rss = worker_rss(out2)
    if rss:
        quarter = rss[: max(1, len(rss) // 4)]
        res.update(worker_peak_rss_mb=max(rss), worker_median_rss_mb=statistics.median(rss),
                   worker_peak_rss_first_quarter_mb=max(quarter))
    res["children_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    (workdir / "bench.json").write_text(json.dumps(res, ensure_ascii=False, indent=1))
    print(json.dumps(res, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
