"""Executed notebooks as self-contained HTML pages (nbconvert, lab template).

The committed notebooks hold their outputs (``make notebooks`` writes them,
nbval checks them), figures included as embedded PNG, so rendering needs no
kernel. nbconvert's ``lab`` template loads require.js, MathJax and mermaid
from a CDN and, for notebooks with widgets, the widget manager; the template
:data:`TEMPLATE` extends it with those blocks emptied, so a page makes no
request to any host. Its style sheets are inlined by nbconvert itself.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATE_NAME = "glscore_offline.html.j2"
#: The lab template without anything loaded from elsewhere, plus a link back.
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}
{{ super() }}
<p style="margin:1rem"><a href="../index.html">&larr; glscore report</a></p>
{%- endblock body_header -%}
"""


def exporter():
    """An nbconvert ``HTMLExporter`` using :data:`TEMPLATE`."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", template_file=TEMPLATE_NAME,
                        extra_loaders=[DictLoader({TEMPLATE_NAME: TEMPLATE})])


def render(path: Path | str, html_exporter=None) -> str:
    """The notebook at ``path`` as one HTML page (its stored outputs, unexecuted)."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    body, _ = (html_exporter or exporter()).from_notebook_node(
        nb, resources={"metadata": {"name": Path(path).stem}})
    return body
