"""The cross-department dataset: parquet/CSV tables, DuckDB (default) or PostgreSQL, and the department_year view.

Money, rates and scores stay exact decimal strings in the tables (as written,
``format(Decimal, "f")``); the ``department_year`` view casts them to
DECIMAL(20,6), never DOUBLE.  Its columns are data: ``patterns/dataset.yaml``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from . import patterns
from .errors import PatternError
from .model import FACT_COLUMNS, FACT_EXTRA_COLUMNS, FINDING_COLUMNS, Fact, Finding

_INT = {"year", "page", "start", "end", "row", "col", "decimals"}
_FLOAT = {"confidence"}  # extraction confidence, not a figure
_BOOL = {"met"}


def _type(col: str) -> pa.DataType:
    if col in _INT:
        return pa.int64()
    if col in _FLOAT:
        return pa.float64()
    if col in _BOOL:
        return pa.bool_()
    return pa.string()


FACT_SCHEMA = pa.schema([(c, _type(c)) for c in FACT_COLUMNS + FACT_EXTRA_COLUMNS])
FINDING_SCHEMA = pa.schema([(c, pa.string()) for c in FINDING_COLUMNS] + [("source_kind", pa.string())])
DOCUMENT_TYPES = {"year": "INTEGER", "pages": "INTEGER", "facts": "INTEGER", "findings_error": "INTEGER",
                  "findings_warning": "INTEGER", "findings_info": "INTEGER", "checks_run": "INTEGER",
                  "checks_passed": "INTEGER", "checks_failed": "INTEGER", "checks_skipped": "INTEGER"}


# --------------------------------------------------------------------------- rows


def _coerce(col: str, v: Any) -> Any:
    if v is None:
        return None
    if col in _INT:
        return int(v)
    if col in _FLOAT:
        return float(v)
    if col in _BOOL:
        return bool(v)
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def fact_rows(facts: Iterable[Fact]) -> list[dict[str, Any]]:
    """Facts as rows of the parquet schema: Decimals as exact strings, bbox as JSON."""
    return [{c: _coerce(c, v) for c, v in f.as_row(extended=True).items()} for f in facts]


def finding_rows(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings as rows; ``facts`` is the JSON list of the involved facts (with their fact ids)."""
    out = []
    for f in findings:
        row = f.as_row()
        row["facts"] = json.dumps(row["facts"], ensure_ascii=False, default=str)
        row["source_kind"] = f.source_kind
        out.append({c: _coerce(c, row.get(c)) for c in FINDING_SCHEMA.names})
    return out


def write_parquet(rows: list[dict[str, Any]], schema: pa.Schema, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- the view


class Column(patterns.Strict):
    id: str
    metric: str
    stages: list[str]
    field: str


class DatasetPatterns(patterns.Strict):
    columns: list[Column]


_STAGES = {"initial_budget", "adjusted_budget", "actual", "prior_year", "change", "none"}


def load_columns(directory: Path | None = None) -> list[Column]:
    """The department_year columns from ``patterns/dataset.yaml``, validated."""
    spec = patterns.load("dataset", DatasetPatterns, directory)
    patterns.check_unique("dataset.yaml", [c.id for c in spec.columns])
    for c in spec.columns:
        if not c.id.isidentifier() or not c.metric.isidentifier():
            raise PatternError("dataset.yaml", c.id, "id and metric must be plain identifiers")
        if c.field not in ("value", "value_wanyuan"):
            raise PatternError("dataset.yaml", c.id, f"field must be value or value_wanyuan, not {c.field!r}")
        bad = [s for s in c.stages if s not in _STAGES]
        if bad or not c.stages:
            raise PatternError("dataset.yaml", c.id, f"unknown stage(s) {bad}")
    return spec.columns


def department_year_sql(columns: list[Column] | None = None) -> str:
    """``CREATE VIEW department_year``: one row per (department, year), figures cast to DECIMAL(20,6).

    The same SQL runs on DuckDB and PostgreSQL.
    """
    columns = columns if columns is not None else load_columns()
    order = "CASE WHEN d.kind = 'department_overall' THEN 0 ELSE 1 END, f.doc_id, f.start"
    cols = []
    for c in columns:
        stages = ", ".join(f"'{s}'" for s in c.stages)
        cols.append(
            f"  (array_agg(CAST(f.{c.field} AS DECIMAL(20,6)) ORDER BY {order})"
            f" FILTER (WHERE f.metric = '{c.metric}' AND f.stage IN ({stages}) AND f.{c.field} IS NOT NULL))[1] AS {c.id}"
        )
    return (
        "CREATE VIEW department_year AS\nSELECT\n"
        "  COALESCE(f.department, d.department) AS department,\n"
        "  COALESCE(f.year, d.year) AS year,\n"
        "  COUNT(DISTINCT f.doc_id) AS documents,\n"
        + ",\n".join(cols)
        + "\nFROM facts f JOIN documents d ON f.doc_id = d.doc_id\n"
        "WHERE f.subject = 'department'\n"
        "GROUP BY COALESCE(f.department, d.department), COALESCE(f.year, d.year)"
    )


# --------------------------------------------------------------------------- assembly


def outputs_present(out: Path, html: bool, xlsx: bool) -> bool:
    names = ["facts.parquet", "facts.csv", "findings.parquet", "findings.csv", "documents.csv", "errors.csv", "dataset.duckdb"]
    names += ["audit.xlsx"] if xlsx else []
    names += ["reports/index.html"] if html else []
    return all((out / n).exists() for n in names)


def assemble(out: Path, parts: Any, manifests: list[dict[str, Any]], errors: list[dict[str, Any]], db: str | None = None) -> dict[str, Any]:
    """Stream every part into the final files (each via a temporary file), then the databases."""
    import pandas as pd

    from .bulk import DOCUMENT_COLUMNS, ERROR_COLUMNS, SEVERITIES

    n_facts = _concat([parts.facts_path(m["sha256"]) for m in manifests], FACT_SCHEMA, out / "facts.parquet", out / "facts.csv")
    sev = {s: 0 for s in SEVERITIES}

    def count(table: pa.Table) -> None:
        for s in table.column("severity").to_pylist():
            sev[s] = sev.get(s, 0) + 1

    _concat([parts.findings_path(m["sha256"]) for m in manifests], FINDING_SCHEMA, out / "findings.parquet", out / "findings.csv", count)
    docs = [m["document"] for m in manifests]
    for e in errors:
        docs.append({"doc_id": e.get("sha256"), "path": e["path"], "source": Path(e["path"]).name, "status": e["reason"]})
    documents = pd.DataFrame(docs, columns=list(DOCUMENT_COLUMNS))
    for c in DOCUMENT_TYPES:
        documents[c] = documents[c].astype("Int64")
    _write_csv(documents, out / "documents.csv")
    _write_csv(pd.DataFrame(errors, columns=list(ERROR_COLUMNS)), out / "errors.csv")
    target = out / "dataset.duckdb"
    if db and not db.startswith(("postgresql", "postgres://")):
        target = Path(db.removeprefix("duckdb:///"))
    write_duckdb(target, documents, out / "facts.parquet", out / "findings.parquet")
    if db and db.startswith(("postgresql", "postgres://")):
        write_sql(db, documents, out / "facts.parquet", out / "findings.parquet")
    return {"facts": n_facts, "findings": sev, "documents": len(manifests)}


def _write_csv(frame: Any, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_csv(tmp, index=False, encoding="utf-8-sig")
    os.replace(tmp, path)


def _concat(sources: list[Path], schema: pa.Schema, parquet_path: Path, csv_path: Path, visit: Any = None) -> int:
    """Concatenate per-file parquet parts into one parquet and one CSV (BOM), one part in memory at a time."""
    tmp_pq = parquet_path.with_name(f".{parquet_path.name}.tmp")
    tmp_csv = csv_path.with_name(f".{csv_path.name}.tmp")
    n = 0
    with pq.ParquetWriter(tmp_pq, schema) as writer, open(tmp_csv, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(",".join(schema.names) + "\n")
        for src in sources:
            table = pq.read_table(src).select(schema.names).cast(schema)
            if table.num_rows:
                writer.write_table(table)
                table.to_pandas().astype(object).to_csv(fh, index=False, header=False)
                n += table.num_rows
                if visit:
                    visit(table)
        if not n:
            writer.write_table(schema.empty_table())
    os.replace(tmp_pq, parquet_path)
    os.replace(tmp_csv, csv_path)
    return n


def write_duckdb(path: Path, documents: Any, facts_parquet: Path, findings_parquet: Path) -> None:
    """Build the database in a temporary file and rename it into place: never half-written."""
    import duckdb

    tmp = path.with_name(f".{path.name}.tmp")
    for p in (tmp, tmp.with_name(tmp.name + ".wal")):
        if p.exists():
            p.unlink()
    con = duckdb.connect(str(tmp))
    try:
        con.execute(_documents_ddl())
        con.register("documents_df", documents)
        con.execute(f"INSERT INTO documents SELECT {', '.join(documents.columns)} FROM documents_df")
        con.execute(f"CREATE TABLE facts AS SELECT * FROM read_parquet('{_sql_str(facts_parquet)}')")
        con.execute(f"CREATE TABLE findings AS SELECT * FROM read_parquet('{_sql_str(findings_parquet)}')")
        con.execute(department_year_sql())
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)


def _sql_str(p: Path) -> str:
    return str(p).replace("'", "''")


def _documents_ddl(if_not_exists: bool = False) -> str:
    from .bulk import DOCUMENT_COLUMNS

    cols = ", ".join(f"{c} {DOCUMENT_TYPES.get(c, 'VARCHAR')}" for c in DOCUMENT_COLUMNS)
    return f"CREATE TABLE {'IF NOT EXISTS ' if if_not_exists else ''}documents ({cols})"


# --------------------------------------------------------------------------- a shared server


def _sa_table(name: str, schema: pa.Schema, metadata: Any) -> Any:
    import sqlalchemy as sa

    kinds = {pa.int64(): sa.BigInteger, pa.float64(): sa.Float, pa.bool_(): sa.Boolean}
    return sa.Table(name, metadata, *(sa.Column(f.name, kinds.get(f.type, sa.Text)) for f in schema))


def write_sql(url: str, documents: Any, facts_parquet: Path, findings_parquet: Path, batch: int = 5000) -> None:
    """The same schema on a server (PostgreSQL via SQLAlchemy), in one transaction.

    Rows of the documents in this run replace their earlier rows (keyed by doc_id / path),
    so several runs can share one database.
    """
    import sqlalchemy as sa

    from .bulk import DOCUMENT_COLUMNS

    engine = sa.create_engine(sql_url(url))
    md = sa.MetaData()
    ints = set(DOCUMENT_TYPES)
    docs_t = sa.Table("documents", md, *(sa.Column(c, sa.Integer if c in ints else sa.Text) for c in DOCUMENT_COLUMNS))
    facts_t = _sa_table("facts", FACT_SCHEMA, md)
    findings_t = _sa_table("findings", FINDING_SCHEMA, md)
    doc_rows = [{k: (None if _isna(v) else (int(v) if k in ints else v)) for k, v in r.items()} for r in documents.to_dict("records")]
    ids = [r["doc_id"] for r in doc_rows if r["doc_id"]]
    paths = [r["path"] for r in doc_rows]
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP VIEW IF EXISTS department_year"))
            md.create_all(conn)
            for chunk in _chunks(ids, 1000):
                for t in (facts_t, findings_t):
                    conn.execute(t.delete().where(t.c.doc_id.in_(chunk)))
                conn.execute(docs_t.delete().where(docs_t.c.doc_id.in_(chunk)))
            for chunk in _chunks(paths, 1000):  # earlier versions of the same files
                old = [r[0] for r in conn.execute(sa.select(docs_t.c.doc_id).where(docs_t.c.path.in_(chunk))) if r[0]]
                for ids_old in _chunks(old, 1000):
                    for t in (facts_t, findings_t):
                        conn.execute(t.delete().where(t.c.doc_id.in_(ids_old)))
                conn.execute(docs_t.delete().where(docs_t.c.path.in_(chunk)))
            if doc_rows:
                conn.execute(docs_t.insert(), doc_rows)
            for t, src in ((facts_t, facts_parquet), (findings_t, findings_parquet)):
                for rb in pq.ParquetFile(src).iter_batches(batch_size=batch):
                    rows = rb.to_pylist()
                    if rows:
                        conn.execute(t.insert(), rows)
            conn.execute(sa.text(department_year_sql()))
    finally:
        engine.dispose()


def sql_url(url: str) -> str:
    """``postgresql://…`` with the driver that is installed: psycopg 3 (the `postgres` extra) unless only psycopg2 is there."""
    import importlib.util

    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            driver = "psycopg" if importlib.util.find_spec("psycopg") or not importlib.util.find_spec("psycopg2") else "psycopg2"
            return f"postgresql+{driver}://" + url[len(prefix):]
    return url


def _chunks(seq: list, n: int):
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def _isna(v: Any) -> bool:
    try:
        import pandas as pd

        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
