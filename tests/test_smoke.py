from extractor.cli import main


def test_help_exits_zero(capsys):
    assert main(["--help"]) == 0
    assert "jixiao" in capsys.readouterr().out


def test_no_command_is_a_usage_error():
    assert main([]) == 2
