"""The dataset a run leaves: parquet/CSV tables, dataset.duckdb and its department_year view."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from extractor import bulk, dataset, pipeline
from extractor.errors import PatternError

from test_bulk import fake_check, report_text


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    d = tmp_path_factory.mktemp("in")
    (d / "edu.txt").write_text(report_text("某某区教育局", 2020, "1,234.56", "1,200.00", "97.20", total=True), encoding="utf-8")
    (d / "health.txt").write_text(report_text("某某区卫生健康局", 2020, "88.10", "80.00", "90.81"), encoding="utf-8")
    (d / "health-2021.txt").write_text(report_text("某某区卫生健康局", 2021, "100", "99.5", "99.50"), encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    out = tmp_path_factory.mktemp("out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "check", fake_check)
        summary = bulk.run([d], out, workers=2, quiet=True)
    return out, summary


def test_parquet_keeps_exact_decimal_strings(run_out):
    out, _ = run_out
    facts = pd.read_parquet(out / "facts.parquet")
    edu = facts[facts["source"] == "edu.txt"]
    assert edu["value"].tolist() == ["1234.56", "1200.00", "97.20"]
    assert edu["value_wanyuan"].tolist()[:2] == ["1234.56", "1200.00"] and pd.isna(edu["value_wanyuan"].tolist()[2])
    assert edu["fact_id"].tolist() == ["f0001", "f0002", "f0003"]
    assert pd.api.types.is_string_dtype(facts["value"]) and not pd.api.types.is_float_dtype(facts["value"])


def test_csv_has_bom_and_chinese(run_out):
    out, _ = run_out
    raw = (out / "facts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "某某区教育局" in raw.decode("utf-8-sig")
    frame = pd.read_csv(out / "findings.csv", encoding="utf-8-sig", dtype=str)
    assert frame["rule"].tolist() == ["sum.expenditure"] and frame["difference"].tolist() == ["34.56"]


def test_documents_csv_has_a_row_per_file(run_out):
    out, _ = run_out
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str)
    assert sorted(docs["status"]) == ["empty", "ok", "ok", "ok"]
    assert list(docs.columns) == list(bulk.DOCUMENT_COLUMNS)
    empty = docs[docs["status"] == "empty"].iloc[0]
    assert empty["doc_id"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # sha256 of no bytes


def test_department_year_view_compares_departments(run_out):
    out, _ = run_out
    con = duckdb.connect(str(out / "dataset.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT department, year, expenditure_adjusted, expenditure_actual, execution_rate FROM department_year ORDER BY department, year"
    ).fetchall()
    assert rows == [
        ("某某区卫生健康局", 2020, Decimal("88.10"), Decimal("80.00"), Decimal("90.81")),
        ("某某区卫生健康局", 2021, Decimal("100"), Decimal("99.5"), Decimal("99.50")),
        ("某某区教育局", 2020, Decimal("1234.56"), Decimal("1200.00"), Decimal("97.20")),
    ]
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE department_year)").fetchall())
    con.close()
    assert types["expenditure_adjusted"] == "DECIMAL(20,6)"
    assert not [c for c, t in types.items() if t in ("DOUBLE", "FLOAT", "REAL")]


def test_tables_exist_and_count(run_out):
    out, summary = run_out
    con = duckdb.connect(str(out / "dataset.duckdb"), read_only=True)
    n = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "facts", "findings")}
    con.close()
    assert n == {"documents": 4, "facts": 9, "findings": 1}
    assert summary["facts"] == 9 and summary["findings"] == {"error": 1, "warning": 0, "info": 0}
    assert not list(out.glob(".*.tmp"))


def _yaml(tmp_path, body: str):
    (tmp_path / "dataset.yaml").write_text(body, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "body, entry",
    [
        ("columns:\n  - {id: a, metric: x, stages: [actual], field: value, colour: red}\n", "a"),
        ("columns:\n  - {id: a, metric: x, stages: [actual], field: value}\n  - {id: a, metric: y, stages: [actual], field: value}\n", "a"),
        ("columns:\n  - {id: a, metric: x, stages: [later], field: value}\n", "a"),
        ("columns:\n  - {id: a, metric: x, stages: [actual], field: price}\n", "a"),
        ("columns:\n  - {id: 'a; drop table facts', metric: x, stages: [actual], field: value}\n", "a; drop table facts"),
    ],
    ids=["unknown-field", "duplicate-id", "unknown-stage", "bad-field", "not-an-identifier"],
)
def test_dataset_yaml_is_strict(tmp_path, body, entry):
    with pytest.raises(PatternError) as exc:
        dataset.load_columns(_yaml(tmp_path, body))
    assert "dataset.yaml" in str(exc.value) and entry in str(exc.value)


def test_shipped_columns_load():
    ids = [c.id for c in dataset.load_columns()]
    assert {"expenditure_initial", "expenditure_adjusted", "expenditure_actual", "execution_rate", "three_public_actual",
            "procurement_total", "staff_actual"} <= set(ids)
