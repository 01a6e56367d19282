"""Synergy rules run behind a wall: read-only copies in, printing to standard
error, every failure one line naming the rule (exit 2), the credit checked.

Each test writes its rule module into tmp_path under a name of its own (a
module once imported stays in ``sys.modules``) and points
``$GLSCORE_RULES_PATH`` at it."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from glscore import load_paper, score
from glscore.cli.params import load_rule
from glscore.core import synergy
from glscore.core.synergy import Context, wall
from glscore.errors import InputError
from tests.test_bad_input import assert_one_line_error, run_cli


@pytest.fixture
def rules(tmp_path, monkeypatch):
    """``rules(name, source)`` writes ``<name>.py`` and returns the folder."""
    monkeypatch.setenv("GLSCORE_RULES_PATH", str(tmp_path))

    def write(name, source):
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
        return f"{name}:rule"

    return write


def test_a_rule_that_writes_into_its_input_fails_and_level2_stays(rules, capsys):
    spec = rules("hr_writes", """
        def rule(scores, sota, tasks):
            scores[:] = scores * 2       # would double Level-2 if it were the pass's matrix
            return scores * 0
    """)
    code, _, err = run_cli(capsys, "score", "--rule", spec, "--model", "Vitron-V1")
    assert_one_line_error(code, err, "synergy rule 'hr_writes:rule' failed", "ValueError",
                          "read-only")


def test_a_rule_that_unlocks_its_copy_changes_nothing_outside(rules, capsys):
    spec = rules("hr_unlock", """
        def rule(scores, sota, tasks):
            scores.flags.writeable = True   # allowed: the copy owns its memory
            scores *= 2
            tasks.to_frame()["paradigm"] = "nlp"   # a DataFrame of its own copy of the tasks
            return scores * 0
    """)
    bench = load_paper()
    walled = score(bench, rule=load_rule(spec))
    plain = score(bench, rule="none")
    np.testing.assert_array_equal(walled.level2, plain.level2)   # Level-2 is rule-independent
    assert (walled.level3 == 0).all()
    assert (bench.tasks["paradigm"] != "nlp").sum() == 584


@pytest.mark.parametrize(("body", "fragments"), [
    ("return np.nan_to_num(scores) * 0 + 1e6",
     ["returned 1000000.0", "outside 0..score"]),
    ("return -np.nan_to_num(scores)",
     ["outside 0..score", "not negative"]),
    ("return scores >= sota",
     ["returned booleans (a mask?)", "np.where(mask, scores, 0.0)"]),
    ("return np.where(np.isfinite(scores), np.inf, 0.0)",
     ["returned inf", "must be finite"]),
    ("return np.zeros((2, 2))",
     ["returned shape (2, 2), expected (1, 699)"]),
    ("return 'credit'",
     ["returned str of <U6, not numbers"]),
    ("return None",
     ["returned NoneType of object, not numbers"]),
])
def test_bad_credit_is_one_line(rules, capsys, body, fragments):
    name = f"hr_bad_{abs(hash(body)) % 10**8}"
    spec = rules(name, f"""
        import numpy as np

        def rule(scores, sota, tasks):
            {body}
    """)
    code, _, err = run_cli(capsys, "score", "--rule", spec, "--model", "Vitron-V1")
    assert_one_line_error(code, err, f"synergy rule '{spec}'", *fragments)


def test_nan_credit_is_no_credit(rules):
    spec = rules("hr_nan", """
        import numpy as np

        def rule(scores, sota, tasks):
            return np.where(scores >= sota, scores, np.nan)
    """)
    bench = load_paper()
    np.testing.assert_array_equal(score(bench, rule=load_rule(spec)).level3,
                                  score(bench).level3)


def test_a_documented_range_replaces_0_to_score():
    def bonus(scores, sota, tasks):
        return np.where(np.isfinite(scores), 100.0, 0.0)

    ctx = Context(load_paper().tasks.iloc[:2], np.array([[10.0, np.nan]]),
                  np.array([50.0, 50.0]), ("m",))
    with pytest.raises(InputError, match=r"returned 100\.0 for model 'm' on task 'IC-001'"):
        synergy.resolve(bonus).credit(ctx)
    bonus.credit_range = (0.0, 100.0)
    np.testing.assert_array_equal(synergy.resolve(bonus).credit(ctx), [[100.0, 0.0]])


def test_printing_goes_to_stderr_and_json_stays_json(rules, capsys):
    spec = rules("hr_prints", """
        import os
        import numpy as np

        print("imported")

        def rule(scores, sota, tasks):
            print("hello from the rule")
            os.write(1, b"raw bytes on fd 1\\n")
            return np.where(scores >= sota, scores, 0.0)
    """)
    code, out, err = run_cli(capsys, "score", "--rule", spec, "--model", "Vitron-V1", "--json")
    assert code == 0, err
    assert json.loads(out)["model"] == "vitron-v1"
    assert "hello from the rule" in err and "imported" in err


def test_fd1_output_of_a_rule_reaches_stderr_in_a_process(tmp_path):
    (tmp_path / "hr_fd.py").write_text(textwrap.dedent("""
        import os
        import numpy as np

        def rule(scores, sota, tasks):
            os.write(1, b"raw bytes on fd 1\\n")
            return np.where(scores >= sota, scores, 0.0)
    """))
    done = subprocess.run([sys.executable, "-m", "glscore", "score", "--rule", "hr_fd:rule",
                           "--model", "Vitron-V1", "--json"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["model"] == "vitron-v1"
    assert "raw bytes on fd 1" in done.stderr


@pytest.mark.parametrize(("source", "fragments"), [
    ("import no_such_module_xyz\n", ["cannot load synergy rule", "ModuleNotFoundError"]),
    ("def rule(scores, sota, tasks)\n    return scores\n",
     ["cannot load synergy rule", "SyntaxError"]),
    ("import sys\nsys.exit(0)\n", ["cannot load synergy rule", "SystemExit"]),
    ("raise RuntimeError('boom at import')\n", ["RuntimeError: boom at import"]),
    ("def rule(scores, sota, tasks):\n    raise ZeroDivisionError('no')\n",
     ["synergy rule", "failed: ZeroDivisionError: no"]),
    ("import sys\ndef rule(scores, sota, tasks):\n    sys.exit(3)\n",
     ["failed: SystemExit: 3"]),
    ("def rule(scores):\n    return scores\n",
     ["cannot be called as f(scores, sota, tasks, **params)", "rule(scores)"]),
    ("def rule(scores, sota, tasks, *, k):\n    return scores\n",
     ["cannot be called as", "missing a required", "argument: 'k'"]),
    ("rule = 42\n", ["is not a function"]),
])
def test_every_failure_of_a_rule_module_is_one_line(rules, capsys, source, fragments):
    name = f"hr_mod_{abs(hash(source)) % 10**8}"
    spec = rules(name, source)
    code, out, err = run_cli(capsys, "score", "--rule", spec, "--model", "Vitron-V1", "--json")
    assert_one_line_error(code, err, spec, *fragments)
    assert out == ""


@pytest.mark.parametrize("spec", ["mod:", ":rule", "a:b:c", "mod.:rule", "my mod:rule",
                                  "../x:rule", "mod:rule()"])
def test_malformed_specs(capsys, spec):
    code, _, err = run_cli(capsys, "score", "--rule", spec, "--model", "Vitron-V1")
    assert_one_line_error(code, err, f"synergy rule '{spec}'",
                          "expected a registered name or package.module:function")


def test_a_context_rule_gets_copies_too():
    seen = {}

    def spy(context):
        seen["writeable"] = context.scores.flags.writeable
        seen["base"] = context.scores.base
        context.tasks.to_frame()["task_id"] = "x"   # a DataFrame of its own copy
        seen["columns_writeable"] = context.tasks["task_id"].flags.writeable
        return np.zeros(context.scores.shape)

    bench = load_paper()
    score(bench, rule=spy)
    assert seen == {"writeable": False, "base": None, "columns_writeable": False}
    assert bench.tasks["task_id"].iloc[0] == "IC-001"
    assert bench.task_table.to_frame()["task_id"].iloc[0] == "IC-001"


def test_builtin_rules_get_read_only_views_not_copies():
    ctx = Context(load_paper().tasks.iloc[:1], np.array([[10.0]]), np.array([5.0]))
    view = wall.walled_context(ctx, trusted=True)
    assert view.scores.base is not None and not view.scores.flags.writeable
    assert view.tasks is ctx.tasks
    copy = wall.walled_context(ctx, trusted=False)
    assert copy.scores.base is None and copy.tasks is not ctx.tasks


ENTRY_POINTS = """\
[glscore.rules]
good = hr_ep_good:rule
exits = hr_ep_exits:rule
raises = hr_ep_raises:rule
"""


def test_a_broken_entry_point_is_reported_and_skipped(tmp_path):
    dist = tmp_path / "hostile_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: hostile-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(ENTRY_POINTS)
    (tmp_path / "hr_ep_good.py").write_text(
        "import numpy as np\n\ndef rule(scores, sota, tasks):\n"
        "    '''Half the score everywhere.'''\n    return np.nan_to_num(scores) / 2\n")
    (tmp_path / "hr_ep_exits.py").write_text("import sys\nprint('printed at import')\nsys.exit(0)\n")
    (tmp_path / "hr_ep_raises.py").write_text("raise ImportError('broken install')\n")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "glscore", "rules", "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    listed = {r["name"]: r for r in json.loads(done.stdout)}
    assert listed["good"]["formula"] == "Half the score everywhere."
    assert "strict" in listed and "noise_margin" in listed
    assert listed["exits"]["note"].startswith("not loadable: cannot load synergy rule 'exits'")
    assert "SystemExit" in listed["exits"]["note"]
    assert "ImportError: broken install" in listed["raises"]["note"]
    assert "printed at import" not in done.stdout and "printed at import" in done.stderr
    # scoring with the good one works; with a broken one it is one line, exit 2
    done = subprocess.run([sys.executable, "-m", "glscore", "score", "--rule", "exits",
                           "--model", "Vitron-V1"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("glscore: error: cannot load")


def test_a_rule_that_changes_numpy_error_settings_changes_them_for_itself(rules):
    spec = rules("hr_seterr", """
        import numpy as np

        def rule(scores, sota, tasks):
            np.seterr(all="raise")     # the process's settings, for the rest of the run
            return np.where(scores >= sota, scores, 0.0)
    """)
    before = np.geterr()
    score(load_paper(), rule=load_rule(spec))
    assert np.geterr() == before
