"""The command line as a newcomer meets it: help without markup, options that
work, suggestions that point at the right task."""

from __future__ import annotations

import re

import pytest

from glscore.cli import COMMANDS, build_parser, main
from glscore.errors import did_you_mean

MARKUP = re.compile(r"``|:(?:func|mod|class|data|meth|attr|ref):`")


def help_text(command: str, capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        build_parser(command).parse_args([command, "--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
def test_help_has_no_restructuredtext_markup(command, capsys):
    text = help_text(command, capsys)
    assert not MARKUP.search(text), MARKUP.search(text).group(0)


def test_explain_help_lists_no_model_option(capsys):
    text = help_text("explain", capsys)
    assert "--model" not in text and "MODEL" in text          # the argument, not an option
    with pytest.raises(SystemExit) as exc:                   # --model is not an option
        main(["explain", "vitron-v1", "--model", "vitron-v1"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --model" in capsys.readouterr().err


def test_task_id_suggestions_match_prefix_and_number(tmp_path, capsys):
    ids = ["IC-271", "IC-261", "IC-251", "IC-001", "IC-002", "IG-001", "VC-001"]
    assert did_you_mean("IC-1", ids) == " (did you mean 'IC-001', 'IC-002', 'IC-251'?)"
    assert did_you_mean("ic_262", ids).startswith(" (did you mean 'IC-261'")
    assert did_you_mean("IC-1", ids, 1) == " (did you mean 'IC-001'?)"
    assert did_you_mean("vitron-v2", ["vitron-v1", "anygpt"]) == " (did you mean 'vitron-v1'?)"
    # as a user meets it: a tidy file with a task id written without zeros
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nm,IC-1,50\n")
    assert main(["score", "--results", str(tidy)]) == 2
    err = capsys.readouterr().err
    assert "IC-1" in err and "did you mean 'IC-001'" in err
