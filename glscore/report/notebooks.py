"""Executed notebooks as self-contained HTML pages (nbconvert, lab template).

The committed notebooks hold their outputs (``make notebooks`` writes them,
nbval checks them), figures included as embedded PNG, so rendering needs no
kernel. nbconvert's ``lab`` template loads require.js, MathJax and mermaid
from a CDN and, for notebooks with widgets, the widget manager; the report's
``templates/notebook.html.j2`` extends it with those blocks emptied, so a
page makes no request to any host. Its style sheets are inlined by nbconvert
itself.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter

from glscore.report.render import templates_dir

#: The report's notebook template, under the name nbconvert loads it by (only
#: this template is handed to nbconvert: its own ``base.html.j2`` stays its own).
TEMPLATE_NAME = "glscore_notebook.html.j2"


def exporter() -> HTMLExporter:
    """An nbconvert ``HTMLExporter`` using ``templates/notebook.html.j2``."""
    source = (templates_dir() / "notebook.html.j2").read_text(encoding="utf-8")
    return HTMLExporter(template_name="lab", template_file=TEMPLATE_NAME,
                        extra_loaders=[DictLoader({TEMPLATE_NAME: source})])


def render(path: Path | str, html_exporter: HTMLExporter | None = None) -> str:
    """The notebook at ``path`` as one HTML page (its stored outputs, unexecuted)."""
    nb = nbformat.read(str(path), as_version=4)
    body, _ = (html_exporter or exporter()).from_notebook_node(
        nb, resources={"metadata": {"name": Path(path).stem}})
    return str(body)
