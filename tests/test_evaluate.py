"""The evaluation harness, scored against hand-written golds and a stubbed pipeline run."""

from __future__ import annotations

import json
from array import array
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest

from extractor import evaluate as ev
from extractor.cli import main
from extractor.model import Document, Fact, Finding, Metadata
from extractor.pipeline import Result

TEXT = "年初预算收入合计1,200.00万元，其中一般公共预算拨款1,000.00万元，其他收入200.00万元。预算执行率95.00%。"


def gold_fact(metric, stage, value, unit="万元", subject="department", table=False, wan=None):
    f = {"metric": metric, "stage": stage, "subject": subject, "value": value, "unit": unit, "surface": value + unit, "table": table}
    if unit in ("万元", "元"):
        f["value_wanyuan"] = wan or value
    return f


GOLD = {
    "source": "r.txt",
    "source_root": "file",
    "documents": ["r.txt"],
    "metadata": {"department": "某县教育局", "year": 2021, "kind": "department_overall", "region": "某省某县"},
    "facts": [
        gold_fact("income_total", "initial_budget", "1200.00"),
        gold_fact("general_budget_appropriation", "initial_budget", "1000.00"),
        gold_fact("other_income", "initial_budget", "200.00"),
        gold_fact("execution_rate", "actual", "95.00", unit="%"),
    ],
    "inconsistencies": [],
    "must_not_flag": [],
}


def fact(metric, stage, value, unit="万元", wan=None, subject="department", table_id=None) -> Fact:
    v = Decimal(value)
    w = Decimal(wan) if wan is not None else (v if unit == "万元" else None)
    return Fact("d", "r.txt", "某县教育局", 2021, subject, "", metric, stage, v, unit, w, "", 1, 0, 1, "", "test", 1.0, table_id=table_id)


def result(facts, findings=(), department="某县教育局", year=2021) -> Result:
    doc = Document("d", "r.txt", "r.txt", "text", TEXT, array("i"), array("i"), metadata=Metadata(department=department, year=year))
    return Result(doc, list(facts), list(findings))


def finding(rule, facts, severity="error") -> Finding:
    return Finding("d", "r.txt", rule, severity, "msg", None, None, None, None, facts=list(facts))


def write(tmp_path: Path, gold: dict, name: str = "r") -> Path:
    (tmp_path / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_perfect_run_scores_one(tmp_path):
    facts = [fact("income_total", "initial_budget", "1200.00"), fact("general_budget_appropriation", "initial_budget", "1000"), fact("other_income", "initial_budget", "200.0"), fact("execution_rate", "actual", "95", unit="%")]
    rep = ev.evaluate(write(tmp_path, GOLD), runner=lambda p: result(facts))
    t = rep["formats"]["text"]
    assert (t["facts"]["precision"], t["facts"]["recall"], t["facts"]["f1"]) == (Decimal(1), Decimal(1), Decimal(1))
    assert t["metadata"] == {"department": Decimal(1), "year": Decimal(1)}
    assert t["findings"]["clean_reports"] == 1 and t["findings"]["false_findings"] == 0
    assert json.loads((tmp_path / "eval.json").read_text("utf-8"))["formats"]["text"]["facts"]["recall"] == "1.0000"


def test_partial_run_counts_misses_extras_and_value_only_recall(tmp_path):
    facts = [
        fact("income_total", "initial_budget", "1200"),
        fact("income_total", "adjusted_budget", "1000"),  # right value, wrong stage
        fact("other_income", "initial_budget", "20"),  # wrong value
    ]
    rep = ev.evaluate(write(tmp_path, GOLD), runner=lambda p: result(facts, department="某县教育", year=2020))
    t = rep["formats"]["text"]
    assert t["facts"]["matched"] == 1 and t["facts"]["gold"] == 4 and t["facts"]["predicted"] == 3
    assert t["facts"]["precision"] == Decimal("0.3333") and t["facts"]["recall"] == Decimal("0.2500")
    assert t["facts"]["value_recall"] == Decimal("0.5000")
    assert t["per_metric"]["income_total"]["recall"] == Decimal(1)
    assert t["metadata"] == {"department": Decimal(0), "year": Decimal(0)}
    missed = [m for m in rep["worst"] if m["what"] == "missed fact"]
    assert {m["metric"] for m in missed} == {"general_budget_appropriation", "other_income", "execution_rate"}


def test_amounts_in_yuan_match_gold_in_wanyuan(tmp_path):
    gold = dict(GOLD, facts=[gold_fact("income_total", "initial_budget", "12000000.00", unit="元", wan="1200")])
    rep = ev.evaluate(write(tmp_path, gold), runner=lambda p: result([fact("income_total", "initial_budget", "1200.00")]))
    assert rep["formats"]["text"]["facts"]["recall"] == Decimal(1)


def test_subject_quotes_are_ignored(tmp_path):
    gold = dict(GOLD, facts=[gold_fact("project_total", "actual", "88.00", subject="英才荟专项")])
    rep = ev.evaluate(write(tmp_path, gold), runner=lambda p: result([fact("project_total", "actual", "88", subject="“英才荟专项”")]))
    assert rep["formats"]["text"]["facts"]["recall"] == Decimal(1)


@pytest.mark.parametrize(
    "rule,found_rule,values,found",
    [
        ("sum.income_sources", "sum.income_sources", ["1200", "1000", "200"], True),
        ("sum.income_sources", "sum.income_sources", ["1200", "1000"], True),  # two of its three figures
        ("sum.income_sources", "sum.income_sources", ["1200"], False),  # one figure of three: could be any sum over that total
        ("sum.income_sources", "sum.breakdown", ["1200", "1000", "200"], False),  # another rule, even of the family
        ("sum.income_sources", "ratio.execution_rate", ["1200", "1000", "200"], False),
        ("sum.income_sources", "sum.income_sources", ["7"], False),  # none of its figures
    ],
    ids=["same_rule_all", "same_rule_half", "same_rule_one_of_three", "same_family", "other_family", "other_figures"],
)
def test_planted_inconsistency_recall(tmp_path, rule, found_rule, values, found):
    gold = dict(GOLD, inconsistencies=[{"rule": rule, "kind": "planted", "facts": [0, 1, 2]}])
    fds = [finding(found_rule, [fact("income_total", "initial_budget", v) for v in values])]
    rep = ev.evaluate(write(tmp_path, gold), runner=lambda p: result([], fds))
    f = rep["formats"]["text"]["findings"]
    assert f["planted"][rule] == {"planted": 1, "found": int(found), "recall": Decimal(int(found))}
    assert f["clean_reports"] == 0
    assert f["unexplained_findings_in_planted_reports"] == int(not found)


def test_consequence_is_neither_missed_nor_false(tmp_path):
    """A knock-on failure of a planted error (gold kind "consequence") explains its finding; missing it is not a miss."""
    gold = dict(GOLD, inconsistencies=[
        {"rule": "sum.income_sources", "kind": "planted", "facts": [0, 1, 2]},
        {"rule": "sum.expenditure", "kind": "consequence", "facts": [0]},
        {"rule": "ratio.carryover_rate", "kind": "consequence", "facts": [3]},
    ])
    fds = [
        finding("sum.income_sources", [fact("income_total", "initial_budget", v) for v in ("1200", "1000", "200")]),
        finding("sum.expenditure", [fact("income_total", "initial_budget", "1200")]),
    ]
    rep = ev.evaluate(write(tmp_path, gold), runner=lambda p: result([], fds))
    f = rep["formats"]["text"]["findings"]
    assert set(f["planted"]) == {"sum.income_sources"} and f["planted_recall"] == Decimal(1)
    assert (f["unexplained_findings_in_planted_reports"], f["false_findings"]) == (0, 0)


def test_false_findings_skip_info_and_real_inconsistencies(tmp_path):
    gold = dict(GOLD, inconsistencies=[{"rule": "discipline.low_execution", "kind": "real", "facts": [3]}])
    fds = [
        finding("discipline.low_execution", [fact("execution_rate", "actual", "95", unit="%")], "warning"),  # listed as real
        finding("coverage.low_coverage", [], "info"),
        finding("flow.unspent", [fact("income_total", "initial_budget", "1200")], "error"),
    ]
    rep = ev.evaluate(write(tmp_path, gold), runner=lambda p: result([], fds))
    f = rep["formats"]["text"]["findings"]
    assert (f["clean_reports"], f["false_findings"], f["false_findings_per_clean_report"]) == (1, 1, Decimal(1))
    assert f["real"] == {"discipline.low_execution": {"listed": 1, "found": 1, "recall": Decimal(1)}}


def test_must_not_flag_violation(tmp_path):
    first = dict(GOLD["facts"][0], surface="1,200.00万元", start=TEXT.index("1,200.00万元"), end=TEXT.index("1,200.00万元") + 10)
    gold = dict(GOLD, facts=[first] + GOLD["facts"][1:], must_not_flag=[{"rule": "sum.income_sources", "facts": [0, 1, 2], "note": "rounding-only difference 0.01"}])
    fds = [finding("sum.breakdown", [fact("income_total", "initial_budget", v) for v in ("1200", "1000", "200")])]
    rep = ev.evaluate(write(tmp_path, gold), runner=lambda p: result([], fds))
    f = rep["formats"]["text"]["findings"]
    assert (f["must_not_flag_cases"], f["must_not_flag_violations"]) == (1, 1)
    assert rep["worst"][0]["what"] == "must-not-flag violated sum.income_sources"
    assert "1,200.00万元" in rep["worst"][0]["quote"]


def test_must_not_flag_is_not_violated_by_a_total_that_merely_repeats(tmp_path):
    """A finding on another stage whose total happens to print the same (budget 23.06, actual 23.06) is not about the case."""
    gold = dict(GOLD, must_not_flag=[{"rule": "sum.income_sources", "facts": [0, 1, 2], "note": "rounding-only difference 0.01"}])
    fds = [finding("sum.income_sources", [fact("income_total", "actual", v) for v in ("1200", "900", "150")])]
    rep = ev.evaluate(write(tmp_path, gold), runner=lambda p: result([], fds))
    assert rep["formats"]["text"]["findings"]["must_not_flag_violations"] == 0


def test_table_facts_are_scored_apart(tmp_path):
    gold = dict(GOLD, facts=GOLD["facts"][:3] + [gold_fact("execution_rate", "actual", "95.00", unit="%", table=True)])
    facts = [fact("execution_rate", "actual", "95.00", unit="%", table_id="t1"), fact("income_total", "initial_budget", "1200")]
    rep = ev.evaluate(write(tmp_path, gold), runner=lambda p: result(facts))
    t = rep["formats"]["text"]
    assert t["table_facts"]["recall"] == Decimal(1) and t["table_facts"]["precision"] == Decimal(1)
    assert t["prose_facts"]["recall"] == Decimal("0.3333")


def test_absent_repo_source_is_skipped_and_pipeline_errors_are_recorded(tmp_path):
    write(tmp_path, GOLD)
    (tmp_path / "real.gold.json").write_text(json.dumps(dict(GOLD, source="../shared/nowhere/x.txt", source_root="repo", documents=["../shared/nowhere/x.txt"])), encoding="utf-8")

    def boom(path):
        raise RuntimeError("reader not ready")

    rep = ev.evaluate(tmp_path, runner=boom)
    assert [s["document"] for s in rep["skipped"]] == ["../shared/nowhere/x.txt"]
    assert rep["errors"][0]["error"] == "RuntimeError: reader not ready"
    assert rep["formats"]["text"]["facts"]["recall"] == Decimal(0)


def test_repo_rooted_gold_finds_renderings_beside_its_source(tmp_path, monkeypatch):
    src = tmp_path / "shared" / "r.txt"
    src.parent.mkdir()
    src.write_text(TEXT, encoding="utf-8")
    golds = tmp_path / "golds"
    golds.mkdir()
    (golds / "r.gold.json").write_text(json.dumps(dict(GOLD, source="shared/r.txt", source_root="repo", documents=["r.txt"])), encoding="utf-8")
    monkeypatch.setattr(ev, "REPO_ROOT", tmp_path)
    seen = []
    rep = ev.evaluate(golds, runner=lambda p: seen.append(p) or result([]))
    assert seen == [src] and not rep["skipped"]


def test_formats_are_reported_apart_and_limit_applies(tmp_path):
    write(tmp_path, dict(GOLD, documents=["r.txt", "r.pdf"]), "r")
    (tmp_path / "r.pdf").write_bytes(b"%PDF-stub")
    write(tmp_path, GOLD, "s")
    rep = ev.evaluate(tmp_path, runner=lambda p: result([fact("income_total", "initial_budget", "1200")] if p.suffix == ".txt" else []), limit=1)
    assert rep["golds"] == 1
    assert rep["formats"]["text"]["facts"]["matched"] == 1 and rep["formats"]["pdf"]["facts"]["matched"] == 0


def test_render_prints_the_table_and_worst_misses(tmp_path):
    rep = ev.evaluate(write(tmp_path, GOLD), runner=lambda p: result([]))
    buf = StringIO()
    ev.render(rep, worst=3, stream=buf)
    out = buf.getvalue()
    assert "facts recall" in out and "worst misses" in out and "missed fact" in out
    assert "text: false findings 0 in 1 clean reports = 0.0000 per 20" in out  # the headline figure, first


def test_render_headline_states_planted_recall(tmp_path):
    gold = dict(GOLD, inconsistencies=[{"rule": "sum.income_sources", "kind": "planted", "facts": [0, 1, 2]}])
    rep = ev.evaluate(write(tmp_path, gold), runner=lambda p: result([]))
    buf = StringIO()
    ev.render(rep, worst=0, stream=buf)
    assert buf.getvalue().startswith("text: planted inconsistencies found 0/1 = 0.0% (bar ≥ 99%)")


def test_generated_corpus_with_a_perfect_stub_scores_one(tmp_path):
    """Facts rebuilt from gold and findings for every planted case: the harness must give exactly 1."""
    from extractor.generate import generate

    generate(6, 4, tmp_path, pdf=False, docx_share=0, error_share=0.5)
    golds = {p.name.replace(".gold.json", ".txt"): json.loads(p.read_text("utf-8")) for p in tmp_path.glob("*.gold.json")}

    def stub(path: Path) -> Result:
        g = golds[path.name]
        facts = [fact(f["metric"], f["stage"], f["value"], unit=f["unit"], wan=f.get("value_wanyuan"), subject=f["subject"], table_id="t1" if f["table"] else None) for f in g["facts"]]
        fds = [finding(i["rule"], [facts[k] for k in i["facts"]]) for i in g["inconsistencies"]]
        return result(facts, fds, department=g["metadata"]["department"], year=g["metadata"]["year"])

    rep = ev.evaluate(tmp_path, runner=stub)
    t = rep["formats"]["text"]
    assert t["facts"]["f1"] == Decimal(1) and t["facts"]["value_recall"] == Decimal(1)
    assert t["findings"]["planted_recall"] == Decimal(1)
    assert t["findings"]["false_findings"] == 0


def test_cli_eval_on_a_missing_folder_is_a_coded_error(tmp_path, capsys):
    assert main(["eval", str(tmp_path / "nowhere")]) == 3
    assert "[E100] not_found" in capsys.readouterr().err


def test_cli_eval(tmp_path, monkeypatch, capsys):
    write(tmp_path, GOLD)
    monkeypatch.setattr(ev, "_run", lambda p: result([fact("income_total", "initial_budget", "1200")]))
    assert main(["eval", str(tmp_path), "--worst", "2", "--json-out", str(tmp_path / "out.json")]) == 0
    assert "facts precision" in capsys.readouterr().out
    assert (tmp_path / "out.json").exists()


@pytest.mark.slow
def test_pipeline_floors_on_the_committed_sample(tmp_path):
    """Corpus-level floors for the real pipeline on the committed sample (text and PDF renderings)."""
    sample = Path(__file__).resolve().parent.parent / "corpus" / "sample"
    rep = ev.evaluate(sample, out_json=tmp_path / "eval.json", limit=10)
    assert not rep["errors"], rep["errors"][:3]
    for fmt in ("text", "pdf"):
        d = rep["formats"][fmt]
        assert d["facts"]["recall"] >= Decimal("0.70"), (fmt, d["facts"])
        assert d["facts"]["precision"] >= Decimal("0.60"), (fmt, d["facts"])
        assert d["findings"]["must_not_flag_violations"] == 0, fmt
        assert d["metadata"]["department"] >= Decimal("0.9") and d["metadata"]["year"] == Decimal(1), fmt
