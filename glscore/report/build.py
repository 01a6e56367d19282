"""Build the static report (see :mod:`glscore.report`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from glscore import __version__, paths
from glscore.analysis.explain import explain_markdown, explain_models
from glscore.analysis.leaderboard import BoardTable, scope_tables
from glscore.analysis.scopes import SCOPES
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile, get_profile
from glscore.io.files import write_text_if_changed
from glscore.io.loaders import load_paper
from glscore.report import html as h

SCOPE_TITLES: dict[str, str] = {
    "A": "Scope-A: full spectrum (Levels 2-5)",
    "B": "Scope-B: one modality, or a combination (Levels 2-4)",
    "C": "Scope-C: comprehension or generation of one modality (Levels 2-3)",
    "D": "Scope-D: one skill group (Levels 2-3)",
}
#: Scope-D has one board per skill group (123): folded, one line each.
FOLDED_SCOPES: tuple[str, ...] = ("D",)


def board_id(table: BoardTable) -> str:
    """The HTML id of a board: ``board-B-Image+Video`` -> ``board-B-Image-Video``."""
    return f"board-{table.board.scope}-" + re.sub(r"[^A-Za-z0-9]+", "-",
                                                   table.board.name).strip("-")


def model_file(model: str) -> str:
    """The page of a model, relative to the report's top."""
    return f"models/{re.sub(r'[^A-Za-z0-9._-]', '_', model)}.html"


def build(out_dir: Path | str, profile: str | Profile = "paper", rule: str | None = None,
          notebooks_dir: Path | str = paths.NOTEBOOKS_DIR,
          bench: Benchmark | None = None) -> list[Path]:
    """Write the report into ``out_dir``; return the files written or kept."""
    out = Path(out_dir)
    bench = load_paper() if bench is None else bench
    prof = get_profile(profile)
    tables = {s: scope_tables(bench, s, prof, rule) for s in SCOPES}
    records = explain_models(bench, None, prof, rule)  # one per model, in bench order
    context = (f"profile <code>{h.esc(records[0]['profile'])}</code>, synergy rule "
               f"<code>{h.esc(records[0]['rule'])}</code>")
    pages: dict[str, str] = {}
    notebooks = sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))
    pages["index.html"] = _index(bench, records, tables, context, notebooks)
    placements = _placements(tables)
    for record in records:
        pages[model_file(record["model"])] = _model_page(
            record, placements.get(record["model"], []), context)
    if notebooks:
        from glscore.report import notebooks as nbhtml

        exporter = nbhtml.exporter()
        for nb in notebooks:
            pages[f"notebooks/{nb.stem}.html"] = nbhtml.render(nb, exporter)
    for folder in ("models", "notebooks"):  # our subfolders only: drop stale pages
        for stale in sorted((out / folder).glob("*.html")):
            if f"{folder}/{stale.name}" not in pages:
                stale.unlink()
    written = []
    for name, text in sorted(pages.items()):
        write_text_if_changed(out / name, text)
        written.append(out / name)
    return written


# ------------------------------------------------------------------ index
def _board_rows(table: BoardTable) -> list[list[str]]:
    frame = table.table
    rows = []
    for r in frame.to_dict("records"):
        cells = [h.number_cell(int(r["rank"])),
                 h.text_cell(f'<a href="{model_file(r["model"])}">{h.esc(r["name"])}</a>'),
                 h.level_cell(r["level"]), h.number_cell(float(r["score"]))]
        cells += [h.number_cell(float(r[k])) for k in _level_columns(table)]
        cells += [h.coverage_cell(int(r["supported"]), int(r["tasks"])),
                  h.number_cell(int(r["wins"]))]
        rows.append(cells)
    return rows


def _level_columns(table: BoardTable) -> list[str]:
    return [f"level{k}" for k in range(2, table.board.cap + 1)]


def _board_section(table: BoardTable, context: str) -> str:
    ident = board_id(table)
    headers = (["Rank", "Model", "Level", "Score"]
               + [f"Level-{c[-1]}" for c in _level_columns(table)] + ["Coverage", "Wins"])
    facts = (f"{table.board.n_tasks} tasks, levels up to {table.board.cap}; "
             f"{len(table.table)} models ranked, {table.left_off} supporting no task left off; "
             f"{context}")
    grid = h.table(headers, _board_rows(table), table_id=ident, board=True, text_columns=(1,))
    search = (f'<input class="filter" type="search" data-table="{ident}" '
              f'placeholder="filter this board" aria-label="filter {h.esc(table.board.name)}">')
    title = f"Scope-{table.board.scope} board &ldquo;{h.esc(table.board.name)}&rdquo;"
    inner = f'<p class="meta">{facts}</p>\n{search}\n{grid}'
    if table.board.scope in FOLDED_SCOPES:
        best = table.summary()
        lead = ("no model" if best["best"] is None else
                f"best {h.esc(best['best'])} at Level-{best['level']} ({best['score']:.2f})")
        return (f'<details id="{ident}-section"><summary><b>{title}</b>: {lead}</summary>\n'
                f"{inner}\n</details>")
    return f'<section id="{ident}-section">\n<h3>{title}</h3>\n{inner}\n</section>'


def _index(bench: Benchmark, records: list[dict], tables: dict[str, list[BoardTable]], context: str,
           notebooks: Sequence[Path]) -> str:
    n_boards = sum(len(t) for t in tables.values())
    parts = [
        f"<p>General-Level leaderboards of {len(bench.models)} models on {len(bench.tasks)} "
        f"tasks ({h.esc(bench.source)}), {n_boards} boards of Scopes A-D, under {context}. "
        f"Computed from the committed <code>data/</code> by glscore {h.esc(__version__)} "
        "(<code>make report</code>); the data are the per-task results published by Fei et "
        "al., ICML 2025, arXiv 2505.04620. Click a column header to sort, type in a box to "
        "filter; coverage is the share of a board's tasks a model supports.</p>",
        h.legend(),
        '<p><input class="filter" type="search" placeholder="filter every board" '
        'aria-label="filter every board"></p>',
        "<nav>" + "".join(f'<a href="#scope-{s}">Scope-{s}</a>' for s in SCOPES) + "</nav>",
    ]
    for scope in SCOPES:
        parts.append(f'<h2 id="scope-{scope}">{h.esc(SCOPE_TITLES[scope])}</h2>')
        parts += [_board_section(t, context) for t in tables[scope]]
    parts.append('<h2 id="models">Models</h2>')
    rows = [[h.text_cell(f'<a href="{model_file(r["model"])}">{h.esc(r["name"])}</a>'),
             h.text_cell(f"<code>{h.esc(r['model'])}</code>"), h.level_cell(r["level"])]
            + [h.number_cell(r["scores"][f"level{k}"]) for k in range(2, 6)]
            + [h.coverage_cell(int(r["supported"]), int(r["tasks"]))]
            for r in sorted(records, key=lambda r: (r["name"].lower(), r["model"]))]
    parts.append(h.table(["Model", "id", "Level", "Level-2", "Level-3", "Level-4", "Level-5",
                          "Coverage"], rows, table_id="models-table", text_columns=(0, 1)))
    parts.append('<h2 id="notebooks">Notebooks</h2>')
    items = "".join(f'<li><a href="notebooks/{nb.stem}.html">{h.esc(nb.stem)}</a>: '
                    f"{h.esc(_notebook_title(nb))}</li>" for nb in notebooks)
    parts.append(f"<ul>{items}</ul>" if items else "<p>No notebooks found.</p>")
    return h.page("glscore: General-Level leaderboards", "\n".join(parts))


def _notebook_title(path: Path) -> str:
    import json

    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            first = "".join(cell.get("source", "")).strip().splitlines()
            if first:
                return first[0].lstrip("#").strip()
    return path.stem


# ------------------------------------------------------------------ models
def _placements(tables: dict[str, list[BoardTable]]) -> dict[str, list[dict]]:
    """Per model, every board it is listed on: scope, board, rank, level, score."""
    out: dict[str, list[dict]] = {}
    for scope in SCOPES:
        for t in tables[scope]:
            for r in t.table[["model", "rank", "level", "score", "supported",
                              "tasks"]].to_dict("records"):
                out.setdefault(r["model"], []).append(
                    {"table": t, "rank": int(r["rank"]), "of": len(t.table),
                     "level": int(r["level"]), "score": float(r["score"]),
                     "supported": int(r["supported"]), "tasks": int(r["tasks"])})
    return out


def _model_page(record: dict, placements: list[dict], context: str) -> str:
    """A model's page: its level and coverage, the explanation of ``glscore explain``
    (:func:`glscore.analysis.explain.explain_markdown`, rendered), its boards."""
    import mistune

    parts = [f"<p>Model id <code>{h.esc(record['model'])}</code>; {context}.</p>", h.legend()]
    overall = [[h.level_cell(record["level"])]
               + [h.number_cell(record["scores"][f"level{k}"]) for k in range(2, 6)]
               + [h.coverage_cell(int(record["supported"]), int(record["tasks"]))]]
    parts.append(h.table(["Level", "Level-2", "Level-3", "Level-4", "Level-5", "Coverage"],
                         overall, sortable=False))
    markdown = mistune.create_markdown(escape=True, plugins=["table"])
    parts.append('<section class="explain"><p class="meta">What <code>glscore explain '
                 f"{h.esc(record['model'])}</code> prints:</p>\n"
                 f"{markdown(explain_markdown(record, heading=2))}</section>")
    rows = [[h.text_cell(f'<a href="../index.html#{board_id(p["table"])}-section">Scope-'
                         f'{p["table"].board.scope} {h.esc(p["table"].board.name)}</a>'),
             h.number_cell(p["rank"]), h.number_cell(p["of"]), h.level_cell(p["level"]),
             h.number_cell(p["score"]), h.coverage_cell(p["supported"], p["tasks"])]
            for p in placements]
    parts += [f"<h2>On the boards ({len(placements)})</h2>",
              h.table(["Board", "Rank", "of", "Level", "Score", "Coverage"], rows,
                      table_id="placements", text_columns=(0,))
              if rows else "<p>Listed on no board: supports no task.</p>"]
    return h.page(record["name"], "\n".join(parts), root="../")
