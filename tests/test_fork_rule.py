"""A fork adds a synergy rule in its own module and runs the ablation notebook
with it (papermill, ``extra_rule="module:function"``), without touching the
committed notebook or ``figures/``."""

import textwrap

import numpy as np
import pandas as pd
import pytest

from glscore import paths
from glscore.pipeline import runner as pipeline

NOTEBOOK = paths.NOTEBOOKS_DIR / "04_relaxation_ablation.ipynb"

FORK_MODULE = '''
import numpy as np


def full_credit(scores, sota, tasks):
    """Every supported score counts as synergy, whatever the SoTA."""
    return np.nan_to_num(scores, nan=0.0)
'''


@pytest.mark.notebooks
def test_fork_rule_through_notebook(tmp_path, monkeypatch):
    (tmp_path / "forkrules.py").write_text(textwrap.dedent(FORK_MODULE))
    # No PYTHONPATH: the runner tells the kernel (which runs in the repository
    # root) to look for rule modules in the caller's folder.
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    committed = NOTEBOOK.read_bytes()
    pipeline.run_notebook(
        NOTEBOOK,
        parameters={
            "extra_rule": "forkrules:full_credit",
            "rules": [["strict", {}], ["none", {}]],
            "margins": [],
            "aggregations": ["per_modality"],
            "level4_means": ["harmonic"],
            "n_boot": 30,
            "out_dir": str(out),
        },
        output=tmp_path / "run.ipynb",
        timeout=300,
    )
    assert NOTEBOOK.read_bytes() == committed

    levels = pd.read_csv(out / "04_variant_levels.csv")
    assert set(levels["variant"]) == {"strict", "none", "forkrules:full_credit"}
    fork = levels[levels["variant"] == "forkrules:full_credit"].set_index("model")
    strict = levels[levels["variant"] == "strict"].set_index("model")
    # Full credit everywhere: Level-3 equals Level-2 for every model ...
    np.testing.assert_allclose(fork["level3"], fork["level2"], atol=1e-6)
    # ... which the published rule does not give (it credits only wins) ...
    assert (strict["level3"] < strict["level2"] - 1e-6).any()
    assert (fork["level3"] >= strict["level3"] - 1e-6).all()
    # ... and no model is left at Level-2 (any score is synergy now).
    assert (fork["level"] != 2).all()

    summary = pd.read_csv(out / "04_variants.csv").set_index("variant")
    row = summary.loc["forkrules:full_credit"]
    assert row["level2"] == 0 and row["moved_down"] == 0 and row["moved_up"] > 0
    assert row["kendall_tau"] < 1.0
    # The fork's rule is the registered ``none``: same verdicts.
    assert (summary.loc["none", ["level1", "level2", "level3", "level4", "level5"]]
            == row[["level1", "level2", "level3", "level4", "level5"]]).all()
    assert (out / "04_migration.png").is_file()
