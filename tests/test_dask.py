"""``--engine dask``: the same per-file job on a Dask cluster gives the same outputs as a local run."""

from __future__ import annotations

import pandas as pd
import pytest

from extractor import bulk, pipeline

import test_bulk
from test_bulk import fake_check, report_text

distributed = pytest.importorskip("distributed")


def _install_fake() -> None:
    import extractor.pipeline

    extractor.pipeline.check = test_bulk.fake_check


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("in")
    for i, (adj, act, rate) in enumerate([("1,234.56", "1,200.00", "97.20"), ("88.10", "80.00", "90.81"), ("10", "9", "90.00")]):
        (d / f"r{i}.txt").write_text(report_text(f"某某区第{i}局", 2020 + i, adj, act, rate, total=i == 0), encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "boom.txt").write_text("x", encoding="utf-8")
    return d


def _frames(out):
    facts = pd.read_parquet(out / "facts.parquet").sort_values(["doc_id", "start"]).reset_index(drop=True)
    findings = pd.read_parquet(out / "findings.parquet").sort_values(["doc_id", "rule"]).reset_index(drop=True)
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str).sort_values("path").reset_index(drop=True)
    errors = pd.read_csv(out / "errors.csv", encoding="utf-8-sig", dtype=str).sort_values("path").reset_index(drop=True)
    return facts, findings, docs, errors


@pytest.mark.slow
def test_dask_cluster_equals_local_run(folder, tmp_path, monkeypatch):
    import cloudpickle
    from distributed import Client, LocalCluster

    monkeypatch.setattr(pipeline, "check", fake_check)
    local = tmp_path / "local"
    bulk.run([folder], local, workers=2, quiet=True)

    cloudpickle.register_pickle_by_value(test_bulk)
    try:
        with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
            client.run(_install_fake)
            remote = tmp_path / "dask"
            summary = bulk.run([folder], remote, engine="dask", scheduler=cluster.scheduler_address, quiet=True)
    finally:
        cloudpickle.unregister_pickle_by_value(test_bulk)
    assert summary["reports_read"] == 3 and summary["errors"] == {"empty": 1, "internal": 1}
    for a, b in zip(_frames(local), _frames(remote)):
        pd.testing.assert_frame_equal(a.drop(columns=["trace"], errors="ignore"), b.drop(columns=["trace"], errors="ignore"))
    assert sorted(p.name for p in (remote / "reports").glob("*.html")) == sorted(p.name for p in (local / "reports").glob("*.html"))


@pytest.mark.slow
def test_dask_without_scheduler_starts_a_local_cluster(folder, tmp_path):
    """The real pipeline, whatever state its stages are in: the dask and local engines must agree."""
    local, remote = tmp_path / "local", tmp_path / "dask"
    bulk.run([folder], local, workers=1, quiet=True, html=False, xlsx=False)
    summary = bulk.run([folder], remote, engine="dask", workers=2, quiet=True, html=False, xlsx=False)
    assert summary["files"] == 5
    for a, b in zip(_frames(local), _frames(remote)):
        pd.testing.assert_frame_equal(a, b)
