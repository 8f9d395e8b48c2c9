"""Pipeline throughput against the raw PDF text extractors, side by side in one run.

    python benchmarks/bench_pipeline.py              # 50 generated PDFs
    python benchmarks/bench_pipeline.py --n 20 --seed 3 --keep /tmp/bench-pdfs

Generates N report PDFs (``extractor.generate``) into a temporary folder, then times:

1. the whole jixiao pipeline (read → facts → checks), split into reading and the
   stages after reading;
2. pdfplumber alone extracting the text of every page of the same PDFs;
3. pypdfium2 alone doing the same;

and prints pages/s for each, the ratios, MB/s of normalized text through the stages
after reading, and peak memory (ru_maxrss of the process, and a tracemalloc peak of
the pipeline on a few files).  Figures go to stdout and ``benchmarks/results/pipeline.json``.
Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bench_pipeline(pdfs: list[Path]) -> dict:
    from extractor import pipeline

    pipeline.check(pipeline.read(pdfs[0]))  # warm-up: imports, pattern compilation, font caches
    pages = chars = facts = findings = failures = 0
    t_read = t_rest = 0.0
    c_read = c_rest = 0.0
    text_bytes = 0
    c0 = time.process_time()
    for p in pdfs:
        t0, k0 = time.perf_counter(), time.process_time()
        try:
            doc = pipeline.read(p)
            t1, k1 = time.perf_counter(), time.process_time()
            result = pipeline.check(doc)
            t2, k2 = time.perf_counter(), time.process_time()
        except Exception as exc:  # a failing file is counted, not fatal
            failures += 1
            print(f"pipeline failed on {p.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        t_read += t1 - t0
        t_rest += t2 - t1
        c_read += k1 - k0
        c_rest += k2 - k1
        pages += len(doc.pages)
        chars += len(doc.text)
        text_bytes += len(doc.text.encode("utf-8"))
        facts += len(result.facts)
        findings += len(result.findings)
    cpu = time.process_time() - c0
    total = t_read + t_rest
    return {
        "pages": pages,
        "seconds": round(total, 3),
        "cpu_seconds": round(cpu, 3),
        "pages_per_cpu_s": round(pages / cpu, 2) if cpu else None,
        "pages_per_s": round(pages / total, 2) if total else None,
        "read_seconds": round(t_read, 3),
        "read_pages_per_s": round(pages / t_read, 2) if t_read else None,
        "read_cpu_seconds": round(c_read, 3),
        "read_pages_per_cpu_s": round(pages / c_read, 2) if c_read else None,
        "after_read_cpu_seconds": round(c_rest, 3),
        "after_read_mb_per_cpu_s": round(text_bytes / 1e6 / c_rest, 3) if c_rest else None,
        "after_read_seconds": round(t_rest, 3),
        "normalized_text_mb": round(text_bytes / 1e6, 3),
        "after_read_mb_per_s": round(text_bytes / 1e6 / t_rest, 3) if t_rest else None,
        "facts": facts,
        "findings": findings,
        "failures": failures,
        "peak_rss_mb": round(_rss_mb(), 1),
    }


def bench_pdfplumber(pdfs: list[Path]) -> dict:
    import pdfplumber

    pages = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for p in pdfs:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"pages": pages, "seconds": round(dt, 3), "pages_per_s": round(pages / dt, 2), "cpu_seconds": round(cpu, 3), "pages_per_cpu_s": round(pages / cpu, 2) if cpu else None, "peak_rss_mb": round(_rss_mb(), 1)}


def bench_pdfium(pdfs: list[Path]) -> dict:
    import pypdfium2 as pdfium

    pages = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for p in pdfs:
        pdf = pdfium.PdfDocument(str(p))
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                tp.get_text_range()
                tp.close()
                page.close()
                pages += 1
        finally:
            pdf.close()
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"pages": pages, "seconds": round(dt, 3), "pages_per_s": round(pages / dt, 2), "cpu_seconds": round(cpu, 3), "pages_per_cpu_s": round(pages / cpu, 2) if cpu else None, "peak_rss_mb": round(_rss_mb(), 1)}


def traced_peak(pdfs: list[Path]) -> float:
    """Peak Python-heap allocation (MB) of the pipeline over a few files (tracemalloc slows it, so apart)."""
    from extractor import pipeline

    tracemalloc.start()
    try:
        for p in pdfs:
            try:
                pipeline.check(pipeline.read(p))
            except Exception:
                pass
        return round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50, help="number of generated PDFs (default 50)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", help="generate into this folder and keep it (default: a temporary folder)")
    ap.add_argument("--out", default=str(HERE / "results" / "pipeline.json"))
    args = ap.parse_args(argv)

    from extractor.generate import generate

    tmp = None if args.keep else tempfile.TemporaryDirectory(prefix="jixiao-bench-")
    folder = Path(args.keep or tmp.name)
    t0 = time.perf_counter()
    generate(args.n, args.seed, folder, pdf=True, docx_share=0, error_share=0.3)
    gen_s = time.perf_counter() - t0
    pdfs = sorted(folder.glob("*.pdf"))
    print(f"generated {len(pdfs)} PDFs in {gen_s:.1f} s into {folder}", file=sys.stderr)

    pipe = bench_pipeline(pdfs)
    plumber = bench_pdfplumber(pdfs)
    pdfium = bench_pdfium(pdfs)
    peak = traced_peak(pdfs[:5])
    ratio = lambda a, b: round(a / b, 2) if a and b else None  # noqa: E731
    figures = {
        "pdfs": len(pdfs),
        "pages": pipe["pages"] or plumber["pages"],
        "pipeline": pipe,
        "pdfplumber_text": plumber,
        "pypdfium2_text": pdfium,
        "ratios": {
            "pipeline_vs_pdfplumber": ratio(pipe["pages_per_s"], plumber["pages_per_s"]),
            "pipeline_vs_pypdfium2": ratio(pipe["pages_per_s"], pdfium["pages_per_s"]),
            "pypdfium2_vs_pdfplumber": ratio(pdfium["pages_per_s"], plumber["pages_per_s"]),
            "pipeline_vs_pdfplumber_cpu": ratio(pipe["pages_per_cpu_s"], plumber["pages_per_cpu_s"]),
        },
        "load_average_1min": round(os.getloadavg()[0], 2),
        "tracemalloc_peak_mb_pipeline_5_files": peak,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "command": "python benchmarks/bench_pipeline.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    print(f"{'':38}{'pages/s':>10}{'seconds':>10}{'pages/cpu-s':>13}{'pages':>8}")
    print(f"{'jixiao pipeline (read→facts→checks)':38}{pipe['pages_per_s']!s:>10}{pipe['seconds']!s:>10}{pipe['pages_per_cpu_s']!s:>13}{pipe['pages']:>8}")
    print(f"{'  of which reading':38}{pipe['read_pages_per_s']!s:>10}{pipe['read_seconds']!s:>10}{pipe['read_pages_per_cpu_s']!s:>13}")
    print(f"{'pdfplumber extract_text alone':38}{plumber['pages_per_s']!s:>10}{plumber['seconds']!s:>10}{plumber['pages_per_cpu_s']!s:>13}{plumber['pages']:>8}")
    print(f"{'pypdfium2 get_text_range alone':38}{pdfium['pages_per_s']!s:>10}{pdfium['seconds']!s:>10}{pdfium['pages_per_cpu_s']!s:>13}{pdfium['pages']:>8}")
    r = figures["ratios"]
    print(f"pipeline / pdfplumber = {r['pipeline_vs_pdfplumber']}×   pipeline / pypdfium2 = {r['pipeline_vs_pypdfium2']}×   pypdfium2 / pdfplumber = {r['pypdfium2_vs_pdfplumber']}×")
    print(f"stages after reading: {pipe['normalized_text_mb']} MB normalized text in {pipe['after_read_seconds']} s = {pipe['after_read_mb_per_s']} MB/s (CPU: {pipe['after_read_cpu_seconds']} s = {pipe['after_read_mb_per_cpu_s']} MB/s)")
    print(f"peak RSS {pipe['peak_rss_mb']} MB after the pipeline, {pdfium['peak_rss_mb']} MB at the end; tracemalloc peak of the pipeline on 5 files {peak} MB")
    print(f"pipeline / pdfplumber in CPU time = {r['pipeline_vs_pdfplumber_cpu']}×  (load average {figures['load_average_1min']} on {os.cpu_count()} cores during the run)")
    print(f"facts {pipe['facts']}, findings {pipe['findings']}, failures {pipe['failures']}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
