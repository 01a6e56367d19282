"""Table 4: model metadata (backbone LLM, size, modalities, paradigm, group)
and the link of each generalist to its own base language model.

The source is ``table4_verbatim.txt``; how each printed text is read, and
every doubtful entry, are rule files of ``data/curation/``
(:mod:`glscore.io.curate.rules`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from glscore.io.curate.rules import (
    RULES_DIR,
    TIERS,
    Backbone,
    Table4Doubt,
    backbones,
    language_models,
    support_words,
    table4_doubts,
)
from glscore.io.curate.schema import CurationError

TABLE4_FILE = "table4_verbatim.txt"

#: Section headers of Table 4 -> ``group`` of models.csv.
TABLE4_GROUPS: Mapping[str, str] = {
    "Language-oriented": "language",
    "Multimodal Close-sourced": "closed-multimodal",
    "Multimodal Open-sourced": "open-multimodal",
}
TABLE4_ROW = re.compile(
    r"^- (?P<index>\d+) (?P<name>.+?)\s*\((?P<citation>[^()]*)\)\s*\|\s*"
    r"(?P<backbone>.+?) (?P<size>\d+(?:\.\d+)?[BM]|/) (?P<support>Language\b.*)$"
)
VERSION_SIZE_RATIO = 1.35
"""Largest size ratio (larger / smaller backbone) of an ``exact``/``version`` link."""
SIBLING_SIZE_RATIO = 2.0
"""Largest size ratio of a ``sibling`` link."""


@dataclass(frozen=True)
class Table4Row:
    """One model row of Table 4 as printed, with its line number."""

    line: int
    group: str
    name: str
    citation: str
    backbone: str
    size: str
    support: str


def read_table4(source_dir: Path) -> list[Table4Row]:
    """The model rows of ``table4_verbatim.txt``, in printed order.

    A line starting ``- N `` after a group header must parse as
    ``- N Name (Citation) | Backbone Size Language...``; anything else
    raises :class:`CurationError` naming the line.
    """
    path = source_dir / TABLE4_FILE
    if not path.is_file():
        raise CurationError(f"{TABLE4_FILE}: file not found in {source_dir}")
    rows: list[Table4Row] = []
    group = ""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = text.strip()
        header = [g for key, g in TABLE4_GROUPS.items() if key in line and "•" in line]
        if header:
            group = header[0]
            continue
        if not re.match(r"^- \d+ ", line):
            continue
        match = TABLE4_ROW.match(line)
        if match is None or not group:
            raise CurationError(f"{TABLE4_FILE}, line {number}: not a model row: {line!r}")
        rows.append(Table4Row(number, group, match["name"].strip(), match["citation"].strip(),
                              match["backbone"].strip(), match["size"], match["support"].strip()))
    return rows


def parse_size(text: str) -> float:
    """Billions of parameters from ``8B`` / ``770M``; ``/`` (undisclosed) is NaN.

    >>> parse_size("770M"), parse_size("4.2B"), parse_size("/")
    (0.77, 4.2, nan)
    """
    if text == "/":
        return math.nan
    value = float(text[:-1])
    return value / 1000.0 if text.endswith("M") else value


def parse_support(text: str, where: str,
                  words: Mapping[str, Mapping[str, str]] | None = None) -> tuple[str, str]:
    """Modalities (``;``-joined, task vocabulary) and paradigm of a support text,
    by the words of ``table4_support.csv`` (``words``, default
    :func:`~glscore.io.curate.rules.support_words`).

    >>> parse_support("Language, Audio (Speech, Sound) Generation", "x")
    ('NLP;Audio', 'generation')
    >>> parse_support("Language /", "x")
    ('NLP', '')
    """
    words = support_words() if words is None else words
    modalities, paradigms = words["modality"], words["paradigm"]
    plain = re.sub(r"\s*\([^)]*\)", "", text).strip()
    if plain == "Language /":
        return "NLP", ""
    printed = plain.split()
    paradigm = paradigms.get(printed[-1].lower()) if printed else None
    parts = [p.strip().lower() for p in " ".join(printed[:-1]).split(",")]
    unknown = [p for p in parts if p not in modalities]
    if paradigm is None or unknown:
        raise CurationError(f"{where}: cannot read modality support {text!r}")
    return ";".join(modalities[p] for p in parts), paradigm


def name_key(name: str) -> str:
    """Letters and digits of a name, lowercased (the extraction drops hyphens)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def table4_model_ids(rows: Sequence[Table4Row], alias: Mapping[str, str],
                     doubts: Mapping[str, Table4Doubt] | None = None) -> list[str]:
    """The ``model_id`` of each Table 4 row.

    A doubt's ``model_id`` first; then an exact printed alias; then a unique
    match of :func:`name_key` against every printed alias. No match, an
    ambiguous match, or two rows on one model raise :class:`CurationError`.
    ``doubts`` default to :func:`~glscore.io.curate.rules.table4_doubts`.
    """
    doubts = table4_doubts() if doubts is None else doubts
    by_key: dict[str, set[str]] = {}
    for printed, mid in alias.items():
        by_key.setdefault(name_key(printed), set()).add(mid)
    out: list[str] = []
    for row in rows:
        where = f"{TABLE4_FILE}, line {row.line}"
        doubt = doubts.get(row.name)
        if doubt is not None and doubt.model_id:
            mid = doubt.model_id
        elif row.name in alias:
            mid = alias[row.name]
        else:
            found = sorted(by_key.get(name_key(row.name.rstrip("†")), set()))
            if len(found) != 1:
                what = "no model" if not found else f"several models {found}"
                raise CurationError(f"{where}: Table 4 name {row.name!r} matches {what}")
            mid = found[0]
        if mid in out:
            raise CurationError(f"{where}: Table 4 names model {mid!r} twice")
        out.append(mid)
    return out


def link_tier(mllm: Backbone, base: Backbone) -> str:
    """Evidence tier of "``base`` is the language model of ``mllm``", or ``""``.

    With ``r`` = larger / smaller size (both known): ``exact`` = same lineage,
    same printed version, ``r == 1``; ``version`` = same lineage,
    ``r <= 1.35``, version different or not printed; ``sibling`` = same
    lineage, ``r <= 2`` or both sizes undisclosed. Otherwise no link.

    >>> link_tier(Backbone("Vicuna", "1.5", 7), Backbone("Vicuna", "1.5", 7))
    'exact'
    >>> link_tier(Backbone("Vicuna", "", 7), Backbone("Vicuna", "1.5", 7))
    'version'
    >>> link_tier(Backbone("Vicuna", "1.5", 13), Backbone("Vicuna", "1.5", 7))
    'sibling'
    """
    if not mllm.lineage or mllm.lineage != base.lineage:
        return ""
    known = not (math.isnan(mllm.size_b) or math.isnan(base.size_b))
    if not known:
        both_unknown = math.isnan(mllm.size_b) and math.isnan(base.size_b)
        return "sibling" if both_unknown else ""
    ratio = max(mllm.size_b, base.size_b) / min(mllm.size_b, base.size_b)
    if ratio == 1.0 and mllm.version and mllm.version == base.version:
        return "exact"
    if ratio <= VERSION_SIZE_RATIO:
        return "version"
    return "sibling" if ratio <= SIBLING_SIZE_RATIO else ""


def weaker(tier: str, steps: int = 1) -> str:
    """``tier`` made ``steps`` tiers weaker (``""`` below ``sibling``)."""
    if not tier:
        return ""
    k = TIERS.index(tier) + steps
    return TIERS[k] if k < len(TIERS) else ""


def describe(b: Backbone) -> str:
    """``'Vicuna 1.5 7B'`` style text (``?`` for an unprinted version/size)."""
    size = "size undisclosed" if math.isnan(b.size_b) else f"{b.size_b:g}B"
    return f"{b.lineage} {b.version or '(version not printed)'} {size}"


def build_table4(rows: Sequence[Table4Row], model_ids: Sequence[str],
                 folder: Path = RULES_DIR) -> pd.DataFrame:
    """Metadata columns of ``models.csv`` (see :data:`TABLE4_COLUMNS`), one row per
    Table 4 row, with the base-model link of every multimodal generalist.

    Each generalist's backbone (``backbones.csv``, or a doubt's replacement
    from ``table4_doubts.csv``; its size from the Size column where the text
    has none) is compared with every language-only model
    (``language_models.csv``) by :func:`link_tier`; the strongest tier wins,
    then the nearest size, then the model id. A doubtful generalist's link is
    one tier weaker; a doubtful base caps it. The rule files are read from
    ``folder`` (:mod:`glscore.io.curate.rules`).
    """
    doubts, readings = table4_doubts(folder), backbones(folder)
    identities, words = language_models(folder), support_words(folder)
    bases = {mid: identities[mid] for mid, row in zip(model_ids, rows, strict=True)
             if row.group == "language"}
    missing = sorted(set(identities) - set(bases))
    if missing:
        raise CurationError(f"{TABLE4_FILE}: language-only model(s) {missing} not found")
    cap_of = {mid: doubts[row.name].cap for mid, row in zip(model_ids, rows, strict=True)
              if row.name in doubts and doubts[row.name].cap}
    base_names = {mid: row.name for mid, row in zip(model_ids, rows, strict=True)}
    records = []
    for mid, row in zip(model_ids, rows, strict=True):
        where = f"{TABLE4_FILE}, line {row.line}"
        modalities, paradigm = parse_support(row.support, where, words)
        doubt = doubts.get(row.name)
        if row.group == "language":
            backbone = bases[mid]
        elif doubt is not None and doubt.backbone is not None:
            backbone = doubt.backbone
        else:
            if row.backbone not in readings:
                raise CurationError(f"{where}: backbone {row.backbone!r} has no reading in "
                                    "backbones.csv")
            backbone = readings[row.backbone]
            if math.isnan(backbone.size_b) and backbone.lineage:
                backbone = Backbone(backbone.lineage, backbone.version, parse_size(row.size),
                                    backbone.note)
        base_id, tier, evidence = "", "", ""
        if row.group != "language":
            found = []
            for bid, base in bases.items():
                t = link_tier(backbone, base)
                why = ""
                if t and cap_of.get(bid) and TIERS.index(t) < TIERS.index(cap_of[bid]):
                    t, why = cap_of[bid], f"; {t} capped at {cap_of[bid]} (the base is doubtful)"
                if t and doubt is not None and doubt.demote:
                    t, why = weaker(t), f"{why}; {t} demoted to {weaker(t) or 'none'} (doubtful row)"
                if t:
                    gap = abs(math.log(backbone.size_b / base.size_b)) if not (
                        math.isnan(backbone.size_b) or math.isnan(base.size_b)) else 0.0
                    found.append((TIERS.index(t), gap, bid, t, why))
            if found:
                _, _, base_id, tier, why = min(found)
                base = bases[base_id]
                evidence = (f"Table 4 backbone '{row.backbone}' read as {describe(backbone)}; "
                            f"{base_names[base_id]} is {describe(base)}{why}")
        records.append({
            "model_id": mid,
            "group": row.group,
            "table4_name": row.name,
            "citation": row.citation,
            "backbone_printed": row.backbone,
            "size_printed": row.size,
            "params_b": parse_size(row.size),
            "modalities": modalities,
            "paradigms": paradigm,
            "backbone_lineage": backbone.lineage,
            "backbone_version": backbone.version,
            "backbone_params_b": backbone.size_b,
            "base_model_id": base_id,
            "base_tier": tier,
            "base_evidence": evidence,
            "table4_notes": " ".join(n for n in (backbone.note, doubt.note if doubt else "")
                                     if n),
            "table4_doubtful": doubt is not None and doubt.doubtful,
        })
    return pd.DataFrame(records)
