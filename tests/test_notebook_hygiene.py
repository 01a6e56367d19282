"""The committed notebooks are stored clean: executed in order, no errors,
no warnings or absolute paths in their outputs, a parameters cell each."""

import json

import pytest

from glscore import paths
from glscore.pipeline.runner import list_notebooks

NOTEBOOKS = list_notebooks(paths.NOTEBOOKS_DIR)


def outputs_text(cell):
    for output in cell.get("outputs", []):
        if "text" in output:
            yield output.get("name", ""), "".join(output["text"])
        for key, value in output.get("data", {}).items():
            if key.startswith("text/"):
                yield key, "".join(value)
        if output.get("output_type") == "error":
            yield "error", output.get("ename", "") + ": " + output.get("evalue", "")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stored_clean(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "no code cells"
    assert nb["cells"][0]["cell_type"] == "markdown", "the question comes first"
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "executed top to bottom, once"
    assert "papermill" not in nb["metadata"]
    repo = str(paths.REPO_ROOT)
    for cell in code:
        for kind, text in outputs_text(cell):
            assert kind not in ("error", "stderr"), text[:200]
            assert repo not in text, f"absolute path in an output: {text[:200]}"
            assert "Warning" not in text, f"a warning in an output: {text[:200]}"
