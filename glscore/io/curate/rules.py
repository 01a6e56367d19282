"""The curation's judgement calls, read from data files with their evidence.

Every decision the build takes that is not mechanical lives in a CSV file of
``data/curation/`` (:data:`RULES_DIR`), one rule per row, each with an
``evidence`` column saying where it comes from (the paper's table and row,
the model's own paper, the source's known errors):

* ``model_rules.csv``: printed names that denote one model (``printed``,
  ``;``-separated), its display name and a note for ``models.csv``;
* ``backbones.csv``: how each printed backbone text of Table 4 is read
  (lineage, version, size of the language model in billions; empty = not
  written) and a note on the reading;
* ``language_models.csv``: the identity of each language-only model of
  Table 4, read from its own name;
* ``table4_doubts.csv``: doubtful Table 4 entries and the rule applied to
  each (``demote``, ``cap``, a replacement backbone, the model it denotes);
* ``table4_support.csv``: the words of Table 4's "Modality Support" and
  "Paradigm" columns (one typo of the source included);
* ``external_bases.csv``: bases that a model's own paper names, for models
  Table 4 does not list (tier :data:`EXTERNAL_TIER`, kept apart from Table 4's).

A malformed file is a :class:`~glscore.io.curate.schema.CurationError` naming
file, line and column. The files are read once per folder (cached).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from glscore import paths
from glscore.io.curate.schema import CurationError
from glscore.io.curate.source import SourceRow, read_source_csv

RULES_DIR: Path = paths.DATA_DIR / "curation"
"""The folder of the rule files (``data/curation``)."""

TIERS: tuple[str, ...] = ("exact", "version", "sibling")
"""Evidence tiers of a ``base_model_id`` link, strongest first."""
EXTERNAL_TIER = "external"
"""Tier of a base named by the model's own paper, not by Table 4 (kept apart from the
Table 4 tiers)."""

RULE_FILES: Mapping[str, tuple[str, ...]] = {
    "model_rules.csv": ("model_id", "display_name", "printed", "note", "evidence"),
    "backbones.csv": ("printed", "lineage", "version", "size_b", "note", "evidence"),
    "language_models.csv": ("model_id", "lineage", "version", "size_b", "evidence"),
    "table4_doubts.csv": ("table4_name", "note", "doubtful", "demote", "cap",
                          "backbone_lineage", "backbone_version", "backbone_size_b",
                          "replaces_backbone", "model_id", "evidence"),
    "table4_support.csv": ("printed", "kind", "reading", "evidence"),
    "external_bases.csv": ("model_id", "base_model_id", "evidence"),
}
"""Each rule file and its columns."""


@dataclass(frozen=True)
class ModelRule:
    """Printed names that denote one model, with the reason for the merge."""

    model_id: str
    display_name: str
    printed: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Backbone:
    """A language model as Table 4 identifies it: lineage, version, size.

    ``version`` is ``""`` where the text names none; ``size_b`` (billions of
    parameters of the language model, not of the whole generalist) is NaN
    where undisclosed. ``note`` says how a printed text was read.
    """

    lineage: str
    version: str = ""
    size_b: float = math.nan
    note: str = ""


@dataclass(frozen=True)
class Table4Doubt:
    """A doubtful Table 4 entry, the rule applied to it and its effect.

    ``demote``: a link *from* this generalist is one tier weaker (exact ->
    version -> sibling -> none). ``cap``: a link *to* this language model is
    at best this tier. ``backbone``: replaces the printed backbone reading.
    ``model_id``: the model a Table 4 name denotes where no alias matches.
    ``doubtful``: false for a note that changes nothing.
    """

    note: str
    doubtful: bool = True
    demote: bool = False
    cap: str = ""
    backbone: Backbone | None = None
    model_id: str = ""


# --------------------------------------------------------------------- fields
def _text(row: SourceRow, column: str) -> str:
    text = row.get(column)
    if not text:
        raise CurationError(f"{row.where(column)}: empty")
    return text


def _flag(row: SourceRow, column: str) -> bool:
    text = row.get(column)
    if text not in ("true", "false"):
        raise CurationError(f"{row.where(column)}: {text!r} is not true or false")
    return text == "true"


def _size(row: SourceRow, column: str) -> float:
    """Billions of parameters; an empty field is NaN (not written)."""
    text = row.get(column)
    if not text:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise CurationError(f"{row.where(column)}: not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise CurationError(f"{row.where(column)}: not a positive size: {text!r}")
    return value


def _keyed(rows: Sequence[SourceRow], key: str, parse: Callable[[SourceRow], object]) -> dict:
    """``{row[key]: parse(row)}``, a repeated key an error."""
    out: dict = {}
    for row in rows:
        name = _text(row, key)
        if name in out:
            raise CurationError(f"{row.where(key)}: {name!r} listed twice")
        out[name] = parse(row)
    return out


def _read(folder: Path, name: str) -> list[SourceRow]:
    rows = read_source_csv(folder / name, RULE_FILES[name])
    for row in rows:
        _text(row, "evidence")  # every rule says where it comes from
    return rows


# --------------------------------------------------------------------- files
@lru_cache(maxsize=4)
def model_rules(folder: Path = RULES_DIR) -> tuple[ModelRule, ...]:
    """``model_rules.csv``, in file order."""
    return tuple(ModelRule(_text(r, "model_id"), _text(r, "display_name"),
                           tuple(p.strip() for p in _text(r, "printed").split(";")),
                           r.get("note"))
                 for r in _read(folder, "model_rules.csv"))


@lru_cache(maxsize=4)
def backbones(folder: Path = RULES_DIR) -> Mapping[str, Backbone]:
    """``backbones.csv``: printed backbone text -> its reading."""
    return _keyed(_read(folder, "backbones.csv"), "printed", lambda r: Backbone(
        r.get("lineage"), r.get("version"), _size(r, "size_b"), r.get("note")))


@lru_cache(maxsize=4)
def language_models(folder: Path = RULES_DIR) -> Mapping[str, Backbone]:
    """``language_models.csv``: model id of a language-only model -> its identity."""
    return _keyed(_read(folder, "language_models.csv"), "model_id", lambda r: Backbone(
        _text(r, "lineage"), r.get("version"), _size(r, "size_b")))


@lru_cache(maxsize=4)
def table4_doubts(folder: Path = RULES_DIR) -> Mapping[str, Table4Doubt]:
    """``table4_doubts.csv``: printed Table 4 name -> the doubt and its rule."""
    def doubt(r: SourceRow) -> Table4Doubt:
        cap = r.get("cap")
        if cap not in ("", *TIERS):
            raise CurationError(f"{r.where('cap')}: {cap!r} is not one of {list(TIERS)}")
        backbone = (Backbone(_text(r, "backbone_lineage"), r.get("backbone_version"),
                             _size(r, "backbone_size_b"))
                    if _flag(r, "replaces_backbone") else None)
        return Table4Doubt(_text(r, "note"), _flag(r, "doubtful"), _flag(r, "demote"), cap,
                           backbone, r.get("model_id"))

    return _keyed(_read(folder, "table4_doubts.csv"), "table4_name", doubt)


@lru_cache(maxsize=4)
def support_words(folder: Path = RULES_DIR) -> Mapping[str, Mapping[str, str]]:
    """``table4_support.csv``: ``{"modality": {word: modality}, "paradigm": {word: paradigm}}``."""
    out: dict[str, dict[str, str]] = {"modality": {}, "paradigm": {}}
    for r in _read(folder, "table4_support.csv"):
        kind = r.get("kind")
        if kind not in out:
            raise CurationError(f"{r.where('kind')}: {kind!r} is not modality or paradigm")
        word = _text(r, "printed")
        if word in out[kind]:
            raise CurationError(f"{r.where('printed')}: {word!r} listed twice")
        out[kind][word] = _text(r, "reading")
    return out


@lru_cache(maxsize=4)
def external_bases(folder: Path = RULES_DIR) -> Mapping[str, tuple[str, str]]:
    """``external_bases.csv``: model id -> (base model id, evidence), for models whose
    own paper names their base while Table 4 does not list them."""
    return _keyed(_read(folder, "external_bases.csv"), "model_id",
                  lambda r: (_text(r, "base_model_id"), _text(r, "evidence")))
