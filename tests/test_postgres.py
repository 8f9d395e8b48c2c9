"""``--db postgresql://…``: the same schema and view on a real PostgreSQL server.

The fixture starts a throwaway server in a temp dir (Debian's postgresql package,
run as the ``postgres`` user when we are root, unix socket only), or uses
``$JIXIAO_TEST_PG_URL``; it skips with a reason when neither is there.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from extractor import bulk, pipeline

from test_bulk import fake_check, report_text

pytestmark = pytest.mark.postgres


def _as(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def pg_url():
    if os.environ.get("JIXIAO_TEST_PG_URL"):
        yield os.environ["JIXIAO_TEST_PG_URL"]
        return
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql) and JIXIAO_TEST_PG_URL is not set")
    bindir = Path(bins[-1]).parent
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as the postgres user")
    base = tempfile.mkdtemp(prefix="jixiao-pg-")
    os.chmod(base, 0o755)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    data, port = f"{base}/data", "55432"
    try:
        subprocess.run(_as([str(bindir / "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]),
                       check=True, capture_output=True, timeout=120)
        subprocess.run(_as([str(bindir / "pg_ctl"), "-D", data, "-w", "-l", f"{base}/log",
                            "-o", f"-k {base} -c listen_addresses='' -p {port} -c fsync=off", "start"]),
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"could not start a throwaway PostgreSQL: {exc}")
    try:
        yield f"postgresql://postgres@/postgres?host={base}&port={port}"
    finally:
        subprocess.run(_as([str(bindir / "pg_ctl"), "-D", data, "-m", "immediate", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def _query(url, sql):
    import sqlalchemy as sa

    from extractor.dataset import sql_url

    engine = sa.create_engine(sql_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).fetchall()
    finally:
        engine.dispose()


def test_run_writes_same_schema_to_postgres(pg_url, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "check", fake_check)
    d = tmp_path / "in"
    d.mkdir()
    (d / "edu.txt").write_text(report_text("某某区教育局", 2020, "1,234.56", "1,200.00", "97.20", total=True), encoding="utf-8")
    (d / "health.txt").write_text(report_text("某某区卫生健康局", 2020, "88.10", "80.00", "90.81"), encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    bulk.run([d], tmp_path / "out", workers=2, quiet=True, db=pg_url, html=False)
    counts = {t: _query(pg_url, f"SELECT count(*) FROM {t}")[0][0] for t in ("documents", "facts", "findings")}
    assert counts == {"documents": 3, "facts": 6, "findings": 1}
    rows = _query(pg_url, "SELECT department, year, expenditure_adjusted, execution_rate FROM department_year ORDER BY department")
    assert rows == [("某某区卫生健康局", 2020, Decimal("88.10"), Decimal("90.81")), ("某某区教育局", 2020, Decimal("1234.56"), Decimal("97.20"))]
    types = dict(_query(pg_url, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'department_year'"))
    assert types["expenditure_adjusted"] == "numeric" and "double precision" not in types.values()
    assert _query(pg_url, "SELECT value FROM facts WHERE source = 'edu.txt' ORDER BY start")[0][0] == "1234.56"

    # a second run with one report changed replaces that report's rows and keeps the other's
    (d / "edu.txt").write_text(report_text("某某区教育局", 2020, "2,000.00", "1,200.00", "60.00"), encoding="utf-8")
    bulk.run([d], tmp_path / "out", workers=2, quiet=True, db=pg_url, html=False)
    rows = _query(pg_url, "SELECT department, expenditure_adjusted FROM department_year ORDER BY department")
    assert rows == [("某某区卫生健康局", Decimal("88.10")), ("某某区教育局", Decimal("2000.00"))]
    assert _query(pg_url, "SELECT count(*) FROM findings")[0][0] == 0
    assert _query(pg_url, "SELECT count(*) FROM documents")[0][0] == 3
