"""The README's "What the analyses find", generated from the executed notebooks.

The section between :data:`START` and :data:`END` in ``README.md`` holds one
short sentence per notebook, taken from what the notebook printed, so the
README cannot drift from what the notebooks compute; the details stay in the
notebooks. The sentence is the first printed line of the notebook's cell
tagged ``headline`` (a sentence a glscore function builds for the purpose),
else the first sentence of its first finding: the printed output of the
code cells tagged ``finding`` (a notebook with no such tag falls back to the
cells that loop over ``x.findings()`` or print a ``*_finding(...)``).

``make notebooks`` rewrites the section (``python -m glscore.pipeline.readme``);
``python -m glscore.pipeline.readme --check`` (and a test) fails when it is stale.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from glscore.io.files import rewrite_section
from glscore.paths import NOTEBOOKS_DIR, REPO_ROOT
from glscore.pipeline.runner import list_notebooks

START = "<!-- findings:start (generated from the notebooks' outputs by `make notebooks`; do not edit) -->"
END = "<!-- findings:end -->"
TAG = "finding"
#: The tag of the cell whose first printed line is the notebook's README sentence.
HEADLINE = "headline"
# a sentence ends at . ! ? followed by a space and a capital, a digit or a quote
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"])")
README = REPO_ROOT / "README.md"

_FALLBACK = re.compile(r"in \w+\.findings\(\):|_finding\(")


def _stdout(cell: dict) -> str:
    return "".join(
        "".join(out["text"]) if isinstance(out["text"], list) else out["text"]
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stdout"
    )


def notebook_findings(path: Path | str) -> list[str]:
    """The printed lines of a notebook's finding cells, in order (blank lines dropped)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    tagged = [c for c in code if TAG in c.get("metadata", {}).get("tags", [])]
    cells = tagged or [c for c in code if _FALLBACK.search("".join(c["source"]))]
    lines: list[str] = []
    for cell in cells:
        lines += [line.strip() for line in _stdout(cell).splitlines() if line.strip()]
    return lines


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (the whole text when it has one).

    >>> first_sentence("VidAgent leads (2.01). 5 models tie. More.")
    'VidAgent leads (2.01).'
    """
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def notebook_headline(path: Path | str) -> str:
    """A notebook's README sentence: the first printed line of its ``headline``
    cell, else the first sentence of its first finding line ("" if neither),
    ending with a full stop (a headline is also a figure title, printed without)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    sentence = ""
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and HEADLINE in cell.get("metadata", {}).get("tags", []):
            lines = [line.strip() for line in _stdout(cell).splitlines() if line.strip()]
            if lines:
                sentence = lines[0]
                break
    if not sentence:
        findings = notebook_findings(path)
        sentence = first_sentence(findings[0]) if findings else ""
    return sentence if not sentence or sentence.endswith((".", "!", "?")) else sentence + "."


def findings_section(notebooks: Iterable[Path]) -> str:
    """The generated block, markers included: one bullet per notebook with a
    headline or findings, one sentence each (:func:`notebook_headline`).

    >>> findings_section([]).splitlines() == [START, END]
    True
    """
    bullets = []
    for path in notebooks:
        sentence = notebook_headline(path)
        if sentence:
            bullets.append(f"* **`{path.stem}`**: {sentence}")
    return "\n".join([START, *bullets, END])


def update_readme(readme: Path | str = README, directory: Path | str = NOTEBOOKS_DIR,
                  *, check: bool = False) -> bool:
    """Rewrite the section of ``readme`` (or, with ``check``, only compare).

    Returns True when the section is (now) current; with ``check`` False when
    it is stale. Raises ``ValueError`` when the markers are missing.
    """
    return rewrite_section(readme, START, END, findings_section(list_notebooks(directory)),
                           "findings", check)


def main(argv: list[str] | None = None) -> int:
    """``python -m glscore.pipeline.readme [--check]``."""
    parser = argparse.ArgumentParser(prog="python -m glscore.pipeline.readme")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    try:
        current = update_readme(check=args.check)
    except ValueError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    if not current:
        print(f"{parser.prog}: README.md's findings section is stale: run `make notebooks`",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
