"""Build the curated ``data/`` folder from the transcribed paper tables.

Source: ``paths.paper_source_dir()`` (tables of arXiv 2505.04620 v1, read-only).
Output: ``tasks.csv``, ``models.csv``, ``scores.csv``, ``scores_alternates.csv``
and ``published_levels.csv`` in ``paths.DATA_DIR``.

Every function here is pure (source folder in, DataFrames out) except
:func:`write_data` and :func:`main`. Malformed source raises
:class:`CurationError` with a one-line message naming file, line and column.

Rebuild with ``python -m glscore.io.curate [--source DIR] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pandas as pd

from glscore import paths
from glscore.core import vocabulary
from glscore.errors import InputError
from glscore.io.files import write_text_if_changed
from glscore.io.quality import copied_runs

NOT_SUPPORTED_MARK = "∞"
"""Printed instead of a score where a model does not support a task."""

APPENDIX_B = "Appendix B"


@dataclass(frozen=True)
class Sheet:
    """One of the nine task sheets of General-Bench."""

    name: str
    code: str
    modality: str
    paradigm: str


#: The sheet table of ``core.vocabulary`` (defined there once), as records.
SHEETS: tuple[Sheet, ...] = tuple(Sheet(name, code, modality, paradigm)
                                  for name, modality, paradigm, code in vocabulary.SHEETS)
SHEET_BY_NAME: Mapping[str, Sheet] = {s.name: s for s in SHEETS}
SHEET_ORDER: Mapping[str, int] = {s.name: i for i, s in enumerate(SHEETS)}

DIRECTIONS: Mapping[str, str] = {"↑": "higher", "↓": "lower"}

LEVEL_TABLES: Mapping[int, int] = {12: 2, 14: 3, 16: 4}
"""Published leaderboard table number -> General-Level level."""

MODALITY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("image", "Image"),
    ("video", "Video"),
    ("audio", "Audio"),
    ("3d", "3D"),
)

#: Columns of ``data/tasks.csv``: the tasks-table columns every Benchmark has
#: (``core.vocabulary.TASK_COLUMNS``, ending with ``sota``) with the curation
#: columns before ``sota``.
TASK_COLUMNS = (
    *vocabulary.TASK_COLUMNS[:-1],
    "skill_group_id",
    "skill_short_name",
    "task_idx_in_group",
    "appendix_table",
    "sota_printed",
    vocabulary.TASK_COLUMNS[-1],
)
SCORE_COLUMNS = (
    "model_id",
    "task_id",
    "model_printed",
    "appendix_table",
    "value_printed",
    "value",
    "supported",
)
ALTERNATE_COLUMNS = (*SCORE_COLUMNS, "occurrence")
TABLE4_COLUMNS = (
    "group",
    "table4_name",
    "citation",
    "backbone_printed",
    "size_printed",
    "params_b",
    "modalities",
    "paradigms",
    "backbone_lineage",
    "backbone_version",
    "backbone_params_b",
    "base_model_id",
    "base_tier",
    "base_evidence",
    "table4_notes",
    "table4_doubtful",
)
"""Model metadata from Table 4 (see :func:`build_table4`), after the registry columns."""
MODEL_COLUMNS = (
    "model_id",
    "display_name",
    "aliases",
    "in_appendix_b",
    "in_level_tables",
    "notes",
    *TABLE4_COLUMNS,
)
LEVEL_COLUMNS = (
    "table",
    "level",
    "model_id",
    "model_printed",
    "paradigm",
    "Image",
    "Video",
    "Audio",
    "3D",
    "overall",
    "rank",
    "row_in_table",
)

SOURCE_TASK_COLUMNS = (
    "sheet",
    "sheet_row",
    "task_name",
    "task_short_name",
    "metric",
    "direction",
    "skill_group_id",
    "skill_short_name",
    "task_idx_in_group",
    "appendix_table",
    "sota_paper",
)
SOURCE_SCORE_COLUMNS = (
    "sheet",
    "sheet_row",
    "appendix_table",
    "model",
    "occurrence",
    "value",
)
SOURCE_LEVEL_COLUMNS = (
    "source",
    "level",
    "model",
    "paradigm",
    "image",
    "video",
    "audio",
    "3d",
    "overall",
    "rank",
)
SOURCE_SKILL_COLUMNS = ("sheet", "skill_group_id")

OUTPUT_FILES: Mapping[str, str] = {
    "tasks": "tasks.csv",
    "models": "models.csv",
    "scores": "scores.csv",
    "scores_alternates": "scores_alternates.csv",
    "published_levels": "published_levels.csv",
}


class CurationError(InputError):
    """The source material is malformed; the message names file/line/column.

    A :class:`ValueError` (through the package-wide :class:`InputError`).
    """


# --------------------------------------------------------------------------
# Model registry: alias rules kept as data.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelRule:
    """Printed names that denote one model, with the reason for the merge."""

    model_id: str
    display_name: str
    printed: tuple[str, ...]
    note: str = ""


# Every merge of two or more printed names is listed here, each with its
# evidence. A printed name not listed becomes its own model, with id
# ``slugify(name)``; two unlisted names with the same slug are an error, so
# no merge ever happens silently. Appendix B = "B", Tables 12/14/16 = "T".
MODEL_RULES: tuple[ModelRule, ...] = (
    # GPT-4V: B image prints GPT4V, B NLP prints GPT-4v, T prints GPT4-V;
    # each name occurs in one place only and there is one GPT-4V model.
    ModelRule("gpt-4v", "GPT-4V", ("GPT4V", "GPT-4v", "GPT4-V")),
    # GPT-4o: B image GPT4o, B NLP GPT-4o, T GPT4-o (same pattern as GPT-4V).
    ModelRule("gpt-4o", "GPT-4o", ("GPT4o", "GPT-4o", "GPT4-o")),
    # GPT-4o-4096: B prints GPT-4o-4096 (image and NLP), T prints GPT4-o-4096.
    ModelRule("gpt-4o-4096", "GPT-4o-4096", ("GPT-4o-4096", "GPT4-o-4096")),
    # GPT-4o-mini: B GPT4o-mini (image, NLP), T GPT4-o-mini.
    ModelRule("gpt-4o-mini", "GPT-4o-mini", ("GPT4o-mini", "GPT4-o-mini")),
    # ChatGPT-4o-latest: B prints ChatGPT-4o-latest, Table 12
    # chatgpt4-o-latest, Table 14 ChatGPT-o-latest (the only "latest" rows).
    ModelRule(
        "chatgpt-4o-latest",
        "ChatGPT-4o-latest",
        ("ChatGPT-4o-latest", "chatgpt4-o-latest", "ChatGPT-o-latest"),
    ),
    # AnyGPT: B audio tables print Any-GPT, all other tables AnyGPT; T
    # AnyGPT has a non-zero audio score, so the audio rows are its rows.
    ModelRule("anygpt", "AnyGPT", ("AnyGPT", "Any-GPT")),
    # Unified-IO 2: B Audio-Generation prints Unified-io-2, every other place
    # Unified-io-2-XXL; T gives Unified-io-2-XXL paradigm C+G and its only
    # generation rows are the Unified-io-2 audio-generation rows.
    ModelRule(
        "unified-io-2-xxl",
        "Unified-io-2-XXL",
        ("Unified-io-2-XXL", "Unified-io-2"),
    ),
    # NExT-GPT-V1.5: B prints NExT-GPT-V1.5, Next-GPT-V1.5 and (Audio-
    # Generation Table 89) Next-GPT. The three names never share a task;
    # together they fill each sheet exactly once (e.g. Image-Generation
    # 25 + 20 = 45, Audio-Generation 10 + 10 = 20). T has only NExT-GPT-V1.5.
    ModelRule(
        "next-gpt-v1.5",
        "NExT-GPT-V1.5",
        ("NExT-GPT-V1.5", "Next-GPT-V1.5", "Next-GPT"),
        "Appendix B Audio-Generation Table 89 prints 'Next-GPT' without a "
        "version; merged with V1.5 (the only NExT-GPT of the leaderboards).",
    ),
    # ModaVerse: B Audio-Generation prints ModaVerse, elsewhere
    # ModaVerse-7b-v0 (T paradigm C+G; its generation rows are those).
    ModelRule("modaverse-7b-v0", "ModaVerse-7b-v0", ("ModaVerse-7b-v0", "ModaVerse")),
    # PandaGPT-13B: B Audio-Comprehension Table 86 and NLP print
    # PandaGPT (13B), Table 87 prints PandaGPT-13B; 12 + 12 = 24 tasks,
    # never the same task twice. T prints PandaGPT-13B.
    ModelRule("pandagpt-13b", "PandaGPT-13B", ("PandaGPT-13B", "PandaGPT (13B)")),
    # AudioGPT: B Audio-Generation prints AudioGPT, B NLP AudioGPT-GPT4,
    # T Audio-GPT4 (paradigm G, audio > 0; its generation rows are AudioGPT).
    ModelRule(
        "audiogpt-gpt4",
        "AudioGPT-GPT4",
        ("AudioGPT-GPT4", "AudioGPT", "Audio-GPT4"),
    ),
    # SpeechGPT: B Audio-Generation prints SpeechGPT, NLP and T
    # SpeechGPT-7B-com (T paradigm G, audio > 0).
    ModelRule("speechgpt-7b-com", "SpeechGPT-7B-com", ("SpeechGPT-7B-com", "SpeechGPT")),
    # MotionGPT: B 3D-Generation prints MotionGPT-1 and MotionGPT-2; B NLP
    # and T print MotionGPT-T5 and MotionGPT-LLaMA (two different models of
    # the same name). Mapped by print order (1 before 2, T5 before LLaMA in
    # every table); no figure can confirm it, T scores both 0.00.
    ModelRule(
        "motiongpt-t5",
        "MotionGPT-T5",
        ("MotionGPT-T5", "MotionGPT-1"),
        "MotionGPT-1 (Appendix B 3D-Generation) mapped to the T5 variant by "
        "print order only; unverifiable (all published levels are 0).",
    ),
    ModelRule(
        "motiongpt-llama",
        "MotionGPT-LLaMA",
        ("MotionGPT-LLaMA", "MotionGPT-2"),
        "MotionGPT-2 (Appendix B 3D-Generation) mapped to the LLaMA variant by "
        "print order only; unverifiable (all published levels are 0).",
    ),
    # Emu2: B prints Emu2-32B, T prints Emu2-37B; one Emu2 model (37B
    # parameters) in the paper, same paradigm C+G, same image/NLP sheets.
    ModelRule(
        "emu2-37b",
        "Emu2-37B",
        ("Emu2-37B", "Emu2-32B"),
        "Appendix B prints the size as 32B, Tables 12/14/16 as 37B.",
    ),
    # 3D-LLM: B prints 3D-LLM, T 3D-LLM-2.1B (the only 3D-LLM).
    ModelRule("3d-llm-2.1b", "3D-LLM-2.1B", ("3D-LLM-2.1B", "3D-LLM")),
    # GPT4RoI: B prints GPT4RoI, T GPT4RoI-7B (the only GPT4RoI).
    ModelRule("gpt4roi-7b", "GPT4RoI-7B", ("GPT4RoI-7B", "GPT4RoI")),
    # LISA: B image and T print LISA, B NLP LISA-7B (the only LISA).
    ModelRule("lisa-7b", "LISA-7B", ("LISA", "LISA-7B")),
    # Long-LLaVA: B NLP prints Long-LLaVA, B video and T Long-LLaVA-9B.
    ModelRule("long-llava-9b", "Long-LLaVA-9B", ("Long-LLaVA-9B", "Long-LLaVA")),
    # MiniGPT4: B NLP prints MiniGPT4-LLaMA2, B image and T
    # MiniGPT4-LLaMA2-7B (the only MiniGPT4).
    ModelRule(
        "minigpt4-llama2-7b",
        "MiniGPT4-LLaMA2-7B",
        ("MiniGPT4-LLaMA2-7B", "MiniGPT4-LLaMA2"),
    ),
    # Case/spacing variants of one name.
    ModelRule("minimonkey", "MiniMonkey", ("MiniMonkey", "miniMonkey")),
    ModelRule("pixtral-12b", "Pixtral-12B", ("Pixtral-12B", "Pixtral 12B")),
    ModelRule("yi-vision-v2", "Yi-Vision-v2", ("Yi-Vision-v2", "Yi-vision-v2")),
    ModelRule("llama-mesh", "LLaMA-Mesh", ("LLaMA-Mesh", "LLaMA-mesh")),
    ModelRule("chatglm-6b", "ChatGLM-6B", ("ChatGLM-6B", "ChatGLM-6b")),
    ModelRule("vicuna-7b-v1.5", "Vicuna-7B-v1.5", ("Vicuna-7b-v1.5", "Vicuna-7b-V1.5")),
    # GPT-J: B NLP prints GPT-J-6B, T GPT-J (the only GPT-J).
    ModelRule("gpt-j-6b", "GPT-J-6B", ("GPT-J-6B", "GPT-J")),
    # Yi-Lightning: B NLP misspells it Yi-Ligntning; T Yi-lightning.
    ModelRule("yi-lightning", "Yi-Lightning", ("Yi-lightning", "Yi-Ligntning")),
    # InternLM: B NLP prints InternLM-Chat-7b, T InternLM2-Chat-7B. The 12
    # language-only models of B NLP and of T match one to one; these two
    # are the only ones left, so they are one entry (version uncertain).
    ModelRule(
        "internlm2-chat-7b",
        "InternLM2-Chat-7B",
        ("InternLM2-Chat-7B", "InternLM-Chat-7b"),
        "Appendix B NLP prints InternLM-Chat-7b (v1 name), Tables 12/14 "
        "InternLM2-Chat-7B; matched as the only unpaired language-only model.",
    ),
    # InternVL2.5 image family: B image/NLP print InternVL2.5-{2,4,8}B,
    # T prints InternVL2_5-{2,4,8}B.
    ModelRule("internvl2.5-2b", "InternVL2.5-2B", ("InternVL2.5-2B", "InternVL2_5-2B")),
    ModelRule("internvl2.5-4b", "InternVL2.5-4B", ("InternVL2.5-4B", "InternVL2_5-4B")),
    ModelRule(
        "internvl2.5-8b",
        "InternVL2.5-8B",
        ("InternVL2.5-8B", "InternVL2_5-8B"),
        "Kept apart from internvl-2.5-8b: Tables 12 and 14 rank both "
        "(InternVL2_5-8B image 25.20, InternVL-2.5-8B image 14.70). Appendix B "
        "rows of this name: Image-Comprehension and NLP only; yet Table 12 "
        "gives it video 8.44.",
    ),
    # InternVL video family: B video prints InternVL-2.5-8B, InternVL-2.5-26B,
    # InternVL-2-8B, InternVL-2-26B, as does T; B NLP prints InternVL2-26B
    # (the only InternVL2 26B model of the paper).
    ModelRule(
        "internvl-2.5-8b",
        "InternVL-2.5-8B",
        ("InternVL-2.5-8B",),
        "Kept apart from internvl2.5-8b (see there). Appendix B rows of this "
        "name: Video-Comprehension only; yet Table 12 gives it image 14.70.",
    ),
    ModelRule("internvl-2-26b", "InternVL-2-26B", ("InternVL-2-26B", "InternVL2-26B")),
    # DeepSeek-VL-7B: B image prints DeepSeek-VL-7B AND DeepSeek-VL-7B-Chat on
    # the same 271 tasks, so they are two models; T lists DeepSeek-VL-7B-Chat
    # and DeepSeek-VL-7B-Base, so the unsuffixed name is the Base model.
    ModelRule(
        "deepseek-vl-7b-base",
        "DeepSeek-VL-7B-Base",
        ("DeepSeek-VL-7B-Base", "DeepSeek-VL-7B"),
        "Appendix B 'DeepSeek-VL-7B' identified with Tables 12/14 "
        "'DeepSeek-VL-7B-Base' by elimination (DeepSeek-VL-7B-Chat is printed "
        "beside it). Appendix B NLP prints 'DeepSeek-VL-7B' twice; the second "
        "block may be the Chat model (kept in scores_alternates.csv).",
    ),
)


def slugify(name: str) -> str:
    """Lowercase slug of a printed name: runs of other characters become '-'.

    >>> slugify("LaVIT-V2 (7B)")
    'lavit-v2-7b'
    """
    slug = re.sub(r"[^a-z0-9.]+", "-", name.strip().lower())
    return slug.strip("-")


def build_alias_map(
    printed_names: Iterable[str], rules: Sequence[ModelRule] = MODEL_RULES
) -> dict[str, str]:
    """Map every printed model name to its ``model_id``.

    Listed names follow ``rules``; any other name gets ``slugify(name)``.
    Raises :class:`CurationError` when a rule lists a name twice, or when two
    unlisted names (or an unlisted name and a rule) share a slug, since that
    would merge models without a written rule.
    """
    alias: dict[str, str] = {}
    for rule in rules:
        for name in rule.printed:
            if name in alias:
                raise CurationError(f"model rules: name {name!r} listed twice")
            alias[name] = rule.model_id
    ruled_ids = {rule.model_id for rule in rules}
    slug_owner: dict[str, str] = {}
    for name in sorted(set(printed_names)):
        if name in alias:
            continue
        slug = slugify(name)
        if not slug:
            raise CurationError(f"model name {name!r} gives an empty model_id")
        if slug in ruled_ids or slug in slug_owner:
            other = slug_owner.get(slug, "a model rule")
            raise CurationError(
                f"model names {name!r} and {other!r} share model_id {slug!r} without an alias rule"
            )
        slug_owner[slug] = name
        alias[name] = slug
    return alias


# --------------------------------------------------------------------------
# Reading and parsing the source.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    """One data row of a source CSV with its 1-based line number."""

    file: str
    line: int
    fields: Mapping[str, str]

    def where(self, column: str) -> str:
        """Location text for error messages."""
        return f"{self.file}, line {self.line}, column '{column}'"

    def get(self, column: str) -> str:
        """The field, stripped of surrounding white space."""
        return self.fields[column].strip()


def read_source_csv(path: Path, required: Sequence[str]) -> list[SourceRow]:
    """Read a UTF-8 CSV and check that the ``required`` columns exist."""
    if not path.is_file():
        raise CurationError(f"{path.name}: file not found in {path.parent}")
    text = path.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise CurationError(f"{path.name}: file is empty")
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise CurationError(f"{path.name}, line 1: missing column(s) {', '.join(missing)}")
    rows: list[SourceRow] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise CurationError(
                f"{path.name}, line {line}: {len(record)} fields, expected {len(header)}"
            )
        rows.append(SourceRow(path.name, line, dict(zip(header, record, strict=True))))
    return rows


def parse_float(row: SourceRow, column: str) -> float:
    """A finite float from ``row[column]``, else :class:`CurationError`."""
    text = row.get(column)
    try:
        value = float(text)
    except ValueError:
        raise CurationError(f"{row.where(column)}: not a number: {text!r}") from None
    if not math.isfinite(value):
        raise CurationError(f"{row.where(column)}: not a finite number: {text!r}")
    return value


def parse_int(row: SourceRow, column: str) -> int:
    """A positive integer from ``row[column]``, else :class:`CurationError`."""
    text = row.get(column)
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise CurationError(f"{row.where(column)}: not a positive integer: {text!r}")
    return int(text)


def parse_choice(row: SourceRow, column: str, choices: Mapping[str, str]) -> str:
    """``choices[row[column]]``, else :class:`CurationError`."""
    text = row.get(column)
    if text not in choices:
        allowed = ", ".join(sorted(choices))
        raise CurationError(f"{row.where(column)}: {text!r} is not one of {allowed}")
    return choices[text]


def parse_sheet(row: SourceRow) -> Sheet:
    """The :class:`Sheet` named in ``row['sheet']``."""
    return SHEET_BY_NAME[parse_choice(row, "sheet", {n: n for n in SHEET_BY_NAME})]


def task_id(sheet: Sheet, sheet_row: int) -> str:
    """Stable task key: sheet code + 3-digit sheet row, e.g. ``IC-001``."""
    return f"{sheet.code}-{sheet_row:03d}"


def is_supported(value_printed: str, direction: str) -> bool:
    """Whether a printed cell is a real score.

    ``∞`` means "not supported" on any task. ``0.00`` means "not supported" on
    a higher-is-better task; on a lower-is-better task (two FID cells of
    IG-008) an exact zero error is unattainable, so it is read the same way.
    """
    text = value_printed.strip()
    if text == NOT_SUPPORTED_MARK:
        return False
    if direction not in DIRECTIONS.values():
        raise ValueError(f"unknown direction {direction!r}")
    return float(text) != 0.0


def parse_value(value_printed: str, direction: str) -> float:
    """The score as a float, NaN where :func:`is_supported` is false."""
    if not is_supported(value_printed, direction):
        return math.nan
    return float(value_printed)


# --------------------------------------------------------------------------
# Building the tables.
# --------------------------------------------------------------------------


def read_skill_groups(source_dir: Path) -> set[tuple[str, str]]:
    """(sheet, skill_group_id) pairs declared in ``skill_groups.csv``."""
    rows = read_source_csv(source_dir / "skill_groups.csv", SOURCE_SKILL_COLUMNS)
    return {(parse_sheet(r).name, r.get("skill_group_id")) for r in rows}


def task_record(row: SourceRow, groups: set[tuple[str, str]]) -> dict[str, object]:
    """One ``tasks.csv`` record from a source row."""
    sheet = parse_sheet(row)
    sheet_row = parse_int(row, "sheet_row")
    group = row.get("skill_group_id")
    if (sheet.name, group) not in groups:
        raise CurationError(
            f"{row.where('skill_group_id')}: {group!r} is not a skill group of {sheet.name}"
        )
    return {
        "task_id": task_id(sheet, sheet_row),
        "modality": sheet.modality,
        "paradigm": sheet.paradigm,
        "sheet": sheet.name,
        "sheet_row": sheet_row,
        "task_name": row.get("task_name"),
        "task_short_name": row.get("task_short_name"),
        "metric": row.get("metric"),
        "direction": parse_choice(row, "direction", DIRECTIONS),
        "skill_group_id": group,
        "skill_short_name": row.get("skill_short_name"),
        "task_idx_in_group": parse_int(row, "task_idx_in_group"),
        "appendix_table": parse_int(row, "appendix_table"),
        "sota_printed": row.get("sota_paper"),
        "sota": parse_float(row, "sota_paper"),
    }


def build_tasks(source_dir: Path) -> pd.DataFrame:
    """``tasks.csv``: one row per task, in sheet order then sheet row."""
    groups = read_skill_groups(source_dir)
    rows = read_source_csv(source_dir / "tasks.csv", SOURCE_TASK_COLUMNS)
    records: list[dict[str, object]] = []
    seen: set[str] = set()
    for row in rows:
        record = task_record(row, groups)
        if record["task_id"] in seen:
            raise CurationError(f"{row.where('sheet_row')}: duplicate task {record['task_id']}")
        seen.add(str(record["task_id"]))
        records.append(record)
    records.sort(key=lambda r: (SHEET_ORDER[str(r["sheet"])], r["sheet_row"]))
    return pd.DataFrame(records, columns=list(TASK_COLUMNS))


def score_record(
    row: SourceRow, tasks: Mapping[str, Mapping[str, object]], alias: Mapping[str, str]
) -> dict[str, object]:
    """One score record (with ``occurrence`` and source ``line``)."""
    sheet = parse_sheet(row)
    tid = task_id(sheet, parse_int(row, "sheet_row"))
    if tid not in tasks:
        raise CurationError(f"{row.where('sheet_row')}: no task {tid} in tasks.csv")
    direction = str(tasks[tid]["direction"])
    printed = row.get("value")
    if printed != NOT_SUPPORTED_MARK:
        parse_float(row, "value")
    model = row.get("model")
    if not model:
        raise CurationError(f"{row.where('model')}: empty model name")
    return {
        "model_id": alias[model],
        "task_id": tid,
        "model_printed": model,
        "appendix_table": parse_int(row, "appendix_table"),
        "value_printed": printed,
        "value": parse_value(printed, direction),
        "supported": is_supported(printed, direction),
        "occurrence": parse_int(row, "occurrence"),
        "line": row.line,
    }


def read_score_rows(source_dir: Path) -> list[SourceRow]:
    """Rows of ``scores_long.csv``."""
    return read_source_csv(source_dir / "scores_long.csv", SOURCE_SCORE_COLUMNS)


def read_level_rows(source_dir: Path) -> list[SourceRow]:
    """Rows of ``level_tables.csv``."""
    return read_source_csv(source_dir / "level_tables.csv", SOURCE_LEVEL_COLUMNS)


#: A printed row counts as a copy of another model's row only when the run of
#: identical values they share has at least this many values (one appendix
#: table prints 7 to 14 tasks of a sheet).
MIN_COPY_RUN = 8

COPY_COLUMNS = ("model_id", "occurrence", "copy_of", "sheet", "first_task", "last_task",
                "length")


def copied_printed_rows(
    records: pd.DataFrame, tasks: pd.DataFrame, min_run: int = MIN_COPY_RUN
) -> pd.DataFrame:
    """The printed rows of twice-printed models that copy another model's row.

    For each model printed twice (``occurrence`` 2 somewhere), on the tasks
    where it is printed twice, each of its printed rows is compared with every
    other printed row on those tasks by :func:`glscore.io.quality.copied_runs`.
    A row is a *copy* when one run of identical values shared with a row of a
    *different* model covers all its supported cells there (``covers == 1``)
    and holds at least ``min_run`` values. One row per copy:
    ``model_id, occurrence, copy_of, sheet, first_task, last_task, length``.
    """
    from glscore.core.benchmark import Benchmark

    found = []
    twice_printed = sorted(records.loc[records["occurrence"] > 1, "model_id"].unique())
    for model in twice_printed:  # a handful of models
        twice = records.loc[(records["model_id"] == model) & (records["occurrence"] > 1),
                            "task_id"].unique()
        part = records[records["task_id"].isin(twice)].sort_values("line", kind="stable")
        part = part.assign(row=part["model_id"] + "#" + part["occurrence"].astype(str))
        part = part.drop_duplicates(["row", "task_id"], keep="first")
        sub = tasks[tasks["task_id"].isin(twice)].reset_index(drop=True)
        matrix = part.pivot(index="row", columns="task_id", values="value")
        matrix = matrix.reindex(columns=sub["task_id"])
        bench = Benchmark(sub, tuple(matrix.index), matrix.to_numpy(float), source="curation")
        runs = copied_runs(bench, min_run=min_run)
        for side, other, covers in (("model_a", "model_b", "covers_a"),
                                    ("model_b", "model_a", "covers_b")):
            mine = runs[side].str.rsplit("#", n=1).str[0] == model
            theirs = runs[other].str.rsplit("#", n=1).str[0] != model
            hit = runs[mine & theirs & (runs[covers] == 1.0)]
            found.append(pd.DataFrame({
                "model_id": model,
                "occurrence": hit[side].str.rsplit("#", n=1).str[1].astype(int),
                "copy_of": hit[other].str.rsplit("#", n=1).str[0],
                "sheet": hit["sheet"], "first_task": hit["first_task"],
                "last_task": hit["last_task"], "length": hit["length"],
            }))
    if not found:
        return pd.DataFrame(columns=list(COPY_COLUMNS))
    out = pd.concat(found, ignore_index=True)
    return out.sort_values(["model_id", "occurrence", "first_task"]).reset_index(drop=True)


def split_primary(
    records: pd.DataFrame, tasks: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split score records into primary and alternate cells.

    Per (model_id, task_id) the primary cell is the first printed one (lowest
    occurrence, then earliest source line), except that a printed row which
    copies another model's row (:func:`copied_printed_rows`, checked when
    ``tasks`` is given) comes after a row that does not; every other cell is
    an alternate.
    """
    copy = pd.Series(False, index=records.index)
    if tasks is not None:
        copies = copied_printed_rows(records, tasks)
        keys = set(zip(copies["model_id"], copies["occurrence"], strict=True))
        copy = pd.Series([k in keys for k in zip(records["model_id"], records["occurrence"],
                                                 strict=True)], index=records.index)
    ordered = records.assign(_copy=copy).sort_values(
        ["model_id", "task_id", "_copy", "occurrence", "line"], kind="stable")
    duplicated = ordered.duplicated(["model_id", "task_id"], keep="first")
    ordered = ordered.drop(columns="_copy")
    return ordered[~duplicated], ordered[duplicated]


def order_scores(frame: pd.DataFrame, tasks: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Sort by task order, then model_id (then occurrence), keep ``columns``."""
    rank = {tid: i for i, tid in enumerate(tasks["task_id"])}
    keyed = frame.assign(_task_rank=frame["task_id"].map(rank))
    keys = ["_task_rank", "model_id"] + (["occurrence", "line"] if "occurrence" in columns else [])
    keyed = keyed.sort_values(keys, kind="stable")
    return keyed[list(columns)].reset_index(drop=True)


def build_scores(
    source_dir: Path, tasks: pd.DataFrame, alias: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``scores.csv`` and ``scores_alternates.csv``."""
    by_id = tasks.set_index("task_id").to_dict(orient="index")
    rows = read_score_rows(source_dir)
    keys: set[tuple[str, str, int]] = set()
    records = []
    for row in rows:
        record = score_record(row, by_id, alias)
        key = (str(record["task_id"]), str(record["model_printed"]),
               int(cast(int, record["occurrence"])))
        if key in keys:
            raise CurationError(
                f"{row.where('occurrence')}: {key[1]!r} occurrence {key[2]} "
                f"printed twice for {key[0]}"
            )
        keys.add(key)
        records.append(record)
    frame = pd.DataFrame(records)
    primary, alternates = split_primary(frame, tasks)
    return (
        order_scores(primary, tasks, SCORE_COLUMNS),
        order_scores(alternates, tasks, ALTERNATE_COLUMNS),
    )


def level_table_number(row: SourceRow) -> int:
    """12, 14 or 16 from the ``source`` column (``...Table12``)."""
    match = re.search(r"Table\s*(\d+)\s*$", row.get("source"))
    if not match or int(match.group(1)) not in LEVEL_TABLES:
        raise CurationError(f"{row.where('source')}: not Table 12, 14 or 16: {row.get('source')!r}")
    return int(match.group(1))


def parse_rank(row: SourceRow) -> int | None:
    """The printed rank; ``/`` (unranked) gives None."""
    if row.get("rank") == "/":
        return None
    return parse_int(row, "rank")


def level_record(row: SourceRow, alias: Mapping[str, str], position: int) -> dict[str, object]:
    """One ``published_levels.csv`` record."""
    table = level_table_number(row)
    level = parse_int(row, "level")
    if level != LEVEL_TABLES[table]:
        raise CurationError(f"{row.where('level')}: Table {table} is Level-{LEVEL_TABLES[table]}")
    record: dict[str, object] = {
        "table": table,
        "level": level,
        "model_id": alias[row.get("model")],
        "model_printed": row.get("model"),
        "paradigm": row.get("paradigm"),
    }
    for source_column, column in MODALITY_COLUMNS:
        record[column] = parse_float(row, source_column)
    record["overall"] = parse_float(row, "overall")
    record["rank"] = parse_rank(row)
    record["row_in_table"] = position
    return record


def build_published_levels(source_dir: Path, alias: Mapping[str, str]) -> pd.DataFrame:
    """``published_levels.csv``: Tables 12/14/16 in printed order."""
    records: list[dict[str, object]] = []
    positions: dict[int, int] = {}
    for row in read_level_rows(source_dir):
        table = level_table_number(row)
        positions[table] = positions.get(table, 0) + 1
        records.append(level_record(row, alias, positions[table]))
    frame = pd.DataFrame(records, columns=list(LEVEL_COLUMNS))
    duplicated = frame.duplicated(["table", "model_id"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise CurationError(
            f"level_tables.csv: Table {first['table']} lists model {first['model_id']} twice"
        )
    frame = frame.sort_values(["table", "row_in_table"], kind="stable")
    frame["rank"] = frame["rank"].astype("Int64")
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------
# Table 4: model metadata (backbone LLM, size, modalities, paradigm, group)
# and the link of each generalist to its own base language model.
# --------------------------------------------------------------------------

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
#: Printed modality words of the "Modality Support" column -> task modality.
SUPPORT_MODALITIES: Mapping[str, str] = {
    "language": "NLP", "image": "Image", "video": "Video", "audio": "Audio", "3d": "3D",
}
#: Printed paradigm words (one typo of the source included) -> paradigm.
SUPPORT_PARADIGMS: Mapping[str, str] = {
    "comprehension": "comprehension",
    "comrehension": "comprehension",  # "3D Comrehension" (PointLLM-7B)
    "generation": "generation",
    "comprehension+generation": "comprehension+generation",
}
TIERS: tuple[str, ...] = ("exact", "version", "sibling")
"""Evidence tiers of a ``base_model_id`` link, strongest first."""
VERSION_SIZE_RATIO = 1.35
"""Largest size ratio (larger / smaller backbone) of an ``exact``/``version`` link."""
SIBLING_SIZE_RATIO = 2.0
"""Largest size ratio of a ``sibling`` link."""


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


NAN = math.nan
# How each printed backbone text of Table 4 is read. Only the lineage, the
# version and the size written in the text are used; where the text is a
# multimodal model or an architecture rather than a language model, or is
# mangled by the extraction, the note says so.
BACKBONES: Mapping[str, Backbone] = {
    # Llama (Meta): LLaMA 1 / 2 / 3 / 3.1.
    "Llama": Backbone("Llama"),
    "LLaMA": Backbone("Llama"),
    "LLaMA-7B": Backbone("Llama", "", 7),
    "LLama-1-7B": Backbone("Llama", "1", 7),
    "LLaMA-33B": Backbone("Llama", "", 33),
    "LLaMA-2": Backbone("Llama", "2"),
    "LLaMA-2-7B": Backbone("Llama", "2", 7),
    "LLaMA-2-7B-chat": Backbone("Llama", "2", 7),
    "Llama-2-7b-chat": Backbone("Llama", "2", 7),
    "LLaMA2-7b": Backbone("Llama", "2", 7),
    "LLaMA2-7B-instruct": Backbone("Llama", "2", 7),
    "LLaMA2-7B instruct": Backbone("Llama", "2", 7),
    "Llama2-chat-13B": Backbone("Llama", "2", 13),
    "LLaMA3-8B-Instruct": Backbone("Llama", "3", 8),
    "Llama-3.1-8B": Backbone("Llama", "3.1", 8),
    # Vicuna (LMSYS fine-tunes of LLaMA), its own lineage here.
    "Vicuna": Backbone("Vicuna"),
    "Vicuna-7B": Backbone("Vicuna", "", 7),
    "Vicuna-13B": Backbone("Vicuna", "", 13),
    "vicuna-7b-v0": Backbone("Vicuna", "0", 7),
    "Vicuna-7b-V0": Backbone("Vicuna", "0", 7),
    "Vicuna-13B-v0": Backbone("Vicuna", "0", 13),
    "Vicuna-v1.5-7B": Backbone("Vicuna", "1.5", 7),
    "vicuna-7b-v1.5": Backbone("Vicuna", "1.5", 7),
    "Vicuna-v1.5-13B": Backbone("Vicuna", "1.5", 13),
    # Qwen (Alibaba): Qwen (1), Qwen2, Qwen2.5.
    "Qwen-7B": Backbone("Qwen", "1", 7),
    "Qwev-7B": Backbone("Qwen", "1", 7, "'Qwev-7B' read as Qwen-7B (typo)"),
    "Qwen2-2B": Backbone("Qwen", "2", 2),
    "Qwen2-7B": Backbone("Qwen", "2", 7),
    "Qwen2-72B": Backbone("Qwen", "2", 72),
    "Qwen2.5": Backbone("Qwen", "2.5"),
    "Qwen2.5-3B-Instruct": Backbone("Qwen", "2.5", 3),
    # InternLM (Shanghai AI Lab). The extraction prints '_' as a blank:
    # 'internlm2 5-7b-chat' is internlm2_5-7b-chat (InternLM 2.5).
    "InternLM2": Backbone("InternLM", "2"),
    "InternLM2-Chat-1.8B": Backbone("InternLM", "2", 1.8),
    "InternLM2-7B": Backbone("InternLM", "2", 7),
    "internlm2-7b": Backbone("InternLM", "2", 7),
    "InternLM2-20B": Backbone("InternLM", "2", 20),
    "internlm2 5-1 8b-chat": Backbone("InternLM", "2.5", 1.8,
                                      "'internlm2 5-1 8b-chat' read as internlm2_5-1_8b-chat"),
    "internlm2 5-7b-chat": Backbone("InternLM", "2.5", 7,
                                    "'internlm2 5-7b-chat' read as internlm2_5-7b-chat"),
    "internlm2 5-20b-chat": Backbone("InternLM", "2.5", 20,
                                     "'internlm2 5-20b-chat' read as internlm2_5-20b-chat"),
    # OpenAI GPT: sizes undisclosed. GPT-2 is OpenAI's too (124M).
    "GPT3.5": Backbone("GPT", "3.5"),
    "GPT4": Backbone("GPT", "4"),
    "GPT-4": Backbone("GPT", "4"),
    "GPT2-base": Backbone("GPT", "2", 0.124),
    # Other lineages with a language-only model in the data.
    "GLM-4V": Backbone("GLM", "4", NAN, "'GLM-4V' is the multimodal GLM-4V; lineage GLM, "
                       "version 4; size from the Size column"),
    "ChatGLM": Backbone("GLM", "ChatGLM"),
    "Ministral": Backbone("Mistral", "Ministral"),
    "Mistral-Nemo-12B": Backbone("Mistral", "Nemo", 12),
    "Gemma": Backbone("Gemma"),
    "GPT-J": Backbone("GPT-J"),
    "Baichuan2": Backbone("Baichuan", "2"),
    "Falcon3": Backbone("Falcon", "3"),
    "Nous-Hermes-2-Yi-34B": Backbone("Yi", "", 34, "Nous-Hermes-2 fine-tune of Yi-34B"),
    # Lineages without a language-only model in the data (never linked).
    "Phi2": Backbone("Phi", "2", 2.7),
    "Phi-3 Mini": Backbone("Phi", "3", 3.8),
    "Phi3-mini": Backbone("Phi", "3", 3.8),
    "Phi-3-mini-128k-instruct": Backbone("Phi", "3", 3.8),
    "Phi3-3.8B": Backbone("Phi", "3", 3.8),
    "DeepSeek": Backbone("DeepSeek"),
    "DeepSeek-LLM-7b-base": Backbone("DeepSeek", "1", 7),
    "DeepSeekMoE-16B": Backbone("DeepSeek", "MoE", 16),
    "DeepSeekMoE-27B": Backbone("DeepSeek", "MoE", 27),
    "Claude-3.5-Sonnet": Backbone("Claude", "3.5"),
    "Claude-3.5-Opus": Backbone("Claude", "3.5"),
    "Gemini": Backbone("Gemini"),
    "Flan T5-xl": Backbone("T5", "Flan", 3),
    "T5-large": Backbone("T5", "", 0.77),
    "T5": Backbone("T5", "", 0.22),
    "BERT": Backbone("BERT"),
    "Jamba-9B-Instruct": Backbone("Jamba", "", 9),
    "MiniCPM3-4B": Backbone("MiniCPM", "3", 4),
    # Not a language model: an architecture or a multimodal model.
    "LLaVA": Backbone("", note="'LLaVA' names a multimodal architecture, not a language model"),
    "LLaVa": Backbone("", note="'LLaVa' names a multimodal architecture, not a language model"),
    "BLIP2": Backbone("", note="'BLIP2' names a multimodal model, not a language model"),
    "Show-o": Backbone("", note="'Show-o' names the model itself"),
    "UIO-2-XXL": Backbone("", note="'UIO-2-XXL' names the model itself"),
}

# The identity of each language-only model of Table 4, read from its own
# name (its backbone column is its family name, and in one case wrong).
LANGUAGE_MODELS: Mapping[str, Backbone] = {
    "meta-llama-3.1-8b-instruct": Backbone("Llama", "3.1", 8),
    "gemma-2-9b-it": Backbone("Gemma", "2", 9),
    "gpt-j-6b": Backbone("GPT-J", "", 6),
    "chatglm-6b": Backbone("GLM", "ChatGLM", 6),
    "qwen2.5-7b-instruct": Backbone("Qwen", "2.5", 7),
    "internlm2-chat-7b": Backbone("InternLM", "2", 7),
    "baichuan2-7b-base": Backbone("Baichuan", "2", 7),
    "vicuna-7b-v1.5": Backbone("Vicuna", "1.5", 7),
    "falcon3-7b-instruct": Backbone("Falcon", "3", 7),
    "ministral-8b-instruct-2410": Backbone("Mistral", "Ministral", 8),
    "yi-lightning": Backbone("Yi", "lightning"),
    "gpt-3.5-turbo": Backbone("GPT", "3.5"),
}


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


# Every doubtful Table 4 entry, keyed by its printed name (see data/README.md).
TABLE4_DOUBTS: Mapping[str, Table4Doubt] = {
    "Yi-lightning": Table4Doubt(
        "Table 4 prints backbone 'Llama 6B' for Yi-Lightning, 01.AI's own closed model; "
        "read as lineage Yi, size undisclosed (rule: a backbone contradicting the model's "
        "own family is replaced by that family)."),
    "InternLM2-Chat-7B": Table4Doubt(
        "Appendix B prints 'InternLM-Chat-7b' (a v1 name); links to it are at best "
        "'version' (rule: a base whose version is uncertain caps its links).",
        cap="version"),
    "Baichuan2-7B-Chat": Table4Doubt(
        "Table 4 prints Baichuan2-7B-Chat, Appendix B and Tables 12/14 "
        "Baichuan2-7B-Base; matched by elimination (the only Baichuan of the paper); "
        "links to it at best 'version'.", cap="version", model_id="baichuan2-7b-base"),
    "Mini-InternVL-Chat2B-V1-5": Table4Doubt(
        "Table 4 prints Mini-InternVL-Chat2B-V1-5, Appendix B and Tables 12/14 "
        "InternVL-Chat-V1-5; matched by elimination (the only Table 4 row and the only "
        "leaderboard model left unmatched).", model_id="internvl-chat-v1-5"),
    "Yi-vision-v2": Table4Doubt(
        "Table 4 prints backbone 'LLaVa 6B' (an architecture) for 01.AI's closed API "
        "model; read as lineage Yi, size undisclosed (rule: a backbone that is not a "
        "language model is replaced by the model's own family).", backbone=Backbone("Yi")),
    "miniMonkey": Table4Doubt(
        "Backbone 'Qwev-7B' and citation repeat the Monkey-10B-chat row above it "
        "(rule: a row copied from another is doubtful); link demoted.", demote=True),
    "OMG-LLaVAInternLM20B": Table4Doubt(
        "The name says InternLM 20B, the backbone column internlm2-7b "
        "(rule: a row contradicting itself is doubtful); link demoted.", demote=True),
    "LLaMA-mesh": Table4Doubt(
        "Backbone 'LLaMA 7B' is a known error of the source and the citation repeats "
        "MotionGPT-LLaMA's (rule: a row copied from another is doubtful); link demoted.",
        demote=True),
    "Emu2-37B": Table4Doubt(
        "Appendix B prints Emu2-32B, Table 4 and Tables 12/14/16 Emu2-37B; backbone "
        "LLaMA-33B as printed.", doubtful=False),
}


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


def parse_support(text: str, where: str) -> tuple[str, str]:
    """Modalities (``;``-joined, task vocabulary) and paradigm of a support text.

    >>> parse_support("Language, Audio (Speech, Sound) Generation", "x")
    ('NLP;Audio', 'generation')
    >>> parse_support("Language /", "x")
    ('NLP', '')
    """
    plain = re.sub(r"\s*\([^)]*\)", "", text).strip()
    if plain == "Language /":
        return "NLP", ""
    words = plain.split()
    paradigm = SUPPORT_PARADIGMS.get(words[-1].lower()) if words else None
    parts = [p.strip().lower() for p in " ".join(words[:-1]).split(",")]
    unknown = [p for p in parts if p not in SUPPORT_MODALITIES]
    if paradigm is None or unknown:
        raise CurationError(f"{where}: cannot read modality support {text!r}")
    return ";".join(SUPPORT_MODALITIES[p] for p in parts), paradigm


def name_key(name: str) -> str:
    """Letters and digits of a name, lowercased (the extraction drops hyphens)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def table4_model_ids(rows: Sequence[Table4Row], alias: Mapping[str, str],
                     doubts: Mapping[str, Table4Doubt] = TABLE4_DOUBTS) -> list[str]:
    """The ``model_id`` of each Table 4 row.

    A doubt's ``model_id`` first; then an exact printed alias; then a unique
    match of :func:`name_key` against every printed alias. No match, an
    ambiguous match, or two rows on one model raise :class:`CurationError`.
    """
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
                 doubts: Mapping[str, Table4Doubt] = TABLE4_DOUBTS) -> pd.DataFrame:
    """Metadata columns of ``models.csv`` (see :data:`TABLE4_COLUMNS`), one row per
    Table 4 row, with the base-model link of every multimodal generalist.

    Each generalist's backbone (:data:`BACKBONES`, or a doubt's replacement;
    its size from the Size column where the text has none) is compared with
    every language-only model (:data:`LANGUAGE_MODELS`) by :func:`link_tier`;
    the strongest tier wins, then the nearest size, then the model id. A
    doubtful generalist's link is one tier weaker; a doubtful base caps it.
    """
    bases = {mid: LANGUAGE_MODELS[mid] for mid, row in zip(model_ids, rows, strict=True)
             if row.group == "language"}
    missing = sorted(set(LANGUAGE_MODELS) - set(bases))
    if missing:
        raise CurationError(f"{TABLE4_FILE}: language-only model(s) {missing} not found")
    cap_of = {mid: doubts[row.name].cap for mid, row in zip(model_ids, rows, strict=True)
              if row.name in doubts and doubts[row.name].cap}
    base_names = {mid: row.name for mid, row in zip(model_ids, rows, strict=True)}
    records = []
    for mid, row in zip(model_ids, rows, strict=True):
        where = f"{TABLE4_FILE}, line {row.line}"
        modalities, paradigm = parse_support(row.support, where)
        doubt = doubts.get(row.name)
        if row.group == "language":
            backbone = bases[mid]
        elif doubt is not None and doubt.backbone is not None:
            backbone = doubt.backbone
        else:
            if row.backbone not in BACKBONES:
                raise CurationError(f"{where}: backbone {row.backbone!r} has no reading in "
                                    "BACKBONES")
            backbone = BACKBONES[row.backbone]
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


# --------------------------------------------------------------------------
# Model registry table.
# --------------------------------------------------------------------------


def appendix_locations(score_rows: Sequence[SourceRow]) -> dict[str, list[str]]:
    """Printed model name -> sheets of Appendix B where it is printed."""
    found: dict[str, set[str]] = {}
    for row in score_rows:
        found.setdefault(row.get("model"), set()).add(row.get("sheet"))
    return {n: sorted(s, key=lambda x: SHEET_ORDER.get(x, 99)) for n, s in found.items()}


def table_locations(levels: pd.DataFrame) -> dict[str, list[int]]:
    """Printed model name -> level tables (12/14/16) where it is printed."""
    found: dict[str, set[int]] = {}
    for name, table in zip(levels["model_printed"], levels["table"], strict=True):
        found.setdefault(str(name), set()).add(int(table))
    return {n: sorted(t) for n, t in found.items()}


def alias_text(
    names: Iterable[str], appendix: Mapping[str, list[str]], tables: Mapping[str, list[int]]
) -> str:
    """``'Appendix B Image-Comprehension: GPT4V; Tables 12/14: GPT4-V'`` style text."""
    entries: list[tuple[tuple[int, int, str], str]] = []
    for name in names:
        if name in appendix:
            sheets = appendix[name]
            key = (0, SHEET_ORDER.get(sheets[0], 99), name)
            entries.append((key, f"{APPENDIX_B} {', '.join(sheets)}: {name}"))
        if name in tables:
            numbers = "/".join(str(t) for t in tables[name])
            label = "Tables" if len(tables[name]) > 1 else "Table"
            entries.append(((1, tables[name][0], name), f"{label} {numbers}: {name}"))
    return "; ".join(text for _, text in sorted(entries))


def coverage_note(
    model_id: str, scores: pd.DataFrame, levels: pd.DataFrame, tasks: pd.DataFrame
) -> str:
    """Modalities with a non-zero published score but no Appendix B rows."""
    modality_of = dict(zip(tasks["task_id"], tasks["modality"], strict=True))
    have = {modality_of[t] for t in scores.loc[scores["model_id"] == model_id, "task_id"]}
    rows = levels[levels["model_id"] == model_id]
    gaps = []
    for _, column in MODALITY_COLUMNS:
        if column not in have and (rows[column] > 0).any():
            gaps.append(column)
    if not gaps:
        return ""
    return (
        "Published levels give a non-zero "
        + ", ".join(gaps)
        + (" score but Appendix B has no rows for it.")
    )


def build_models(
    scores: pd.DataFrame,
    alternates: pd.DataFrame,
    levels: pd.DataFrame,
    tasks: pd.DataFrame,
    score_rows: Sequence[SourceRow],
    alias: Mapping[str, str],
    rules: Sequence[ModelRule] = MODEL_RULES,
    table4: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``models.csv``: one row per model_id, sorted by model_id.

    ``table4`` (from :func:`build_table4`) adds the metadata columns; a model
    of the level tables without a Table 4 row is an error.
    """
    appendix = appendix_locations(score_rows)
    tables = table_locations(levels)
    rule_by_id = {rule.model_id: rule for rule in rules}
    names_by_id: dict[str, list[str]] = {}
    for name, mid in alias.items():
        if name in appendix or name in tables:
            names_by_id.setdefault(mid, []).append(name)
    records = []
    for mid in sorted(names_by_id):
        names = sorted(names_by_id[mid])
        rule = rule_by_id.get(mid)
        display = rule.display_name if rule else names[0]
        notes = [rule.note] if rule and rule.note else []
        notes.append(coverage_note(mid, scores, levels, tasks))
        if mid not in set(scores["model_id"]) | set(alternates["model_id"]):
            notes.append("No Appendix B rows at all.")
        records.append(
            {
                "model_id": mid,
                "display_name": display,
                "aliases": alias_text(names, appendix, tables),
                "in_appendix_b": any(n in appendix for n in names),
                "in_level_tables": any(n in tables for n in names),
                "notes": " ".join(n for n in notes if n),
            }
        )
    frame = pd.DataFrame(records, columns=list(MODEL_COLUMNS[:6]))
    if table4 is None:
        table4 = pd.DataFrame(columns=["model_id", *TABLE4_COLUMNS])
    unknown = sorted(set(table4["model_id"]) - set(frame["model_id"]))
    lacking = sorted(set(frame.loc[frame["in_level_tables"], "model_id"])
                     - set(table4["model_id"])) if len(table4) else []
    if unknown or lacking:
        raise CurationError(f"{TABLE4_FILE}: rows for unknown models {unknown}, "
                            f"no row for leaderboard models {lacking}")
    frame = frame.merge(table4, on="model_id", how="left", validate="one_to_one")
    return frame[list(MODEL_COLUMNS)]


def build_all(source_dir: Path) -> dict[str, pd.DataFrame]:
    """Every curated table, keyed as in :data:`OUTPUT_FILES`."""
    tasks = build_tasks(source_dir)
    score_rows = read_score_rows(source_dir)
    level_rows = read_level_rows(source_dir)
    names = [r.get("model") for r in score_rows] + [r.get("model") for r in level_rows]
    alias = build_alias_map(names)
    scores, alternates = build_scores(source_dir, tasks, alias)
    levels = build_published_levels(source_dir, alias)
    table4_rows = read_table4(source_dir)
    table4 = build_table4(table4_rows, table4_model_ids(table4_rows, alias))
    models = build_models(scores, alternates, levels, tasks, score_rows, alias, table4=table4)
    return {
        "tasks": tasks,
        "models": models,
        "scores": scores,
        "scores_alternates": alternates,
        "published_levels": levels,
    }


# --------------------------------------------------------------------------
# Writing.
# --------------------------------------------------------------------------


def format_cell(value: object) -> str:
    """Deterministic text of one cell: floats by ``repr``, NaN/None empty."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if hasattr(value, "item"):  # numpy scalar
        return format_cell(value.item())
    return str(value)


def frame_to_csv(frame: pd.DataFrame) -> str:
    """CSV text with ``\\n`` line endings and minimal quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([format_cell(v) for v in row])
    return buffer.getvalue()


def write_data(frames: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each frame to ``out_dir`` under its :data:`OUTPUT_FILES` name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for key, frame in frames.items():
        path = out_dir / OUTPUT_FILES[key]
        write_text_if_changed(path, frame_to_csv(frame))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: rebuild ``data/`` from the paper source folder."""
    parser = argparse.ArgumentParser(
        prog="python -m glscore.io.curate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--source", type=Path, default=None, help="source folder")
    parser.add_argument("--out", type=Path, default=paths.DATA_DIR, help="output folder")
    args = parser.parse_args(argv)
    source = args.source if args.source is not None else paths.paper_source_dir()
    try:
        frames = build_all(source)
    except CurationError as error:
        print(f"curate: {error}", file=sys.stderr)
        return 2
    for path in write_data(frames, args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
