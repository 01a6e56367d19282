"""README's "What the analyses find" is generated from the notebooks' outputs."""

from __future__ import annotations

from pathlib import Path

from glscore import paths
from glscore.pipeline import readme


def test_readme_findings_are_current() -> None:
    assert readme.update_readme(check=True), (
        "README.md's findings section differs from the notebooks' outputs: run `make notebooks`"
    )


def test_section_is_the_finding_cells_stdout(tmp_path: Path) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def notebook(name: str, cells: list) -> None:
        nbformat.write(new_notebook(cells=cells), tmp_path / name)

    tagged = new_code_cell("print(x)", metadata={"tags": ["finding"]})
    tagged.outputs = [new_output("stream", name="stdout",
                                 text="Seven models move (2.01). Details follow.\nMore.\n")]
    headline = new_code_cell("print(h)", metadata={"tags": ["headline"]})
    headline.outputs = [new_output("stream", name="stdout", text="\nThe headline, two\n")]
    other = new_code_cell("print(y)")
    other.outputs = [new_output("stream", name="stdout", text="not a finding\n")]
    fallback = new_code_cell("print(a.level_finding(b))")
    fallback.outputs = [new_output("stream", name="stdout", text="Fallback.\n\n")]
    notebook("01_one.ipynb", [tagged, other])
    notebook("02_two.ipynb", [fallback])
    notebook("03_none.ipynb", [other])
    notebook("04_four.ipynb", [tagged, headline])
    page = tmp_path / "README.md"
    page.write_text(f"intro\n{readme.START}\nold text\n{readme.END}\ntail\n", encoding="utf-8")

    assert not readme.update_readme(page, tmp_path, check=True)
    assert readme.update_readme(page, tmp_path)
    assert page.read_text(encoding="utf-8") == (
        # the first sentence of the first finding; the headline cell's first line
        f"intro\n{readme.START}\n* **`01_one`**: Seven models move (2.01).\n"
        f"* **`02_two`**: Fallback.\n* **`04_four`**: The headline, two.\n"
        f"{readme.END}\ntail\n"
    )
    assert readme.update_readme(page, tmp_path, check=True)


def test_readme_has_the_markers() -> None:
    text = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(readme.START) == 1 and text.count(readme.END) == 1
