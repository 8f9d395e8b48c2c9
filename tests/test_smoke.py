from extractor.cli import main


def test_help_exits_zero(capsys):
    assert main(["--help"]) == 0
    assert "jixiao" in capsys.readouterr().out


def test_no_command_is_a_usage_error():
    assert main([]) == 2


def test_an_internal_error_is_coded_not_a_traceback(monkeypatch, tmp_path, capsys):
    from extractor import pipeline

    def boom(*a, **k):
        raise RuntimeError("stage bug")

    monkeypatch.setattr(pipeline, "read", boom)
    report = tmp_path / "r.txt"
    report.write_text("本年度支出1,008.87万元。", encoding="utf-8")
    assert main(["extract", str(report)]) == 1
    err = capsys.readouterr().err
    assert "[E199] internal" in err and "RuntimeError: stage bug" in err and "Traceback" not in err
