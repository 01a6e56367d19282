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

import pandas as pd

from glscore import paths
from glscore.core import vocabulary
from glscore.errors import InputError
from glscore.io.files import write_text_if_changed

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
MODEL_COLUMNS = (
    "model_id",
    "display_name",
    "aliases",
    "in_appendix_b",
    "in_level_tables",
    "notes",
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


def split_primary(records: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split score records into primary and alternate cells.

    Per (model_id, task_id) the first printed cell (lowest occurrence, then
    earliest source line) is primary; every other cell is an alternate.
    """
    ordered = records.sort_values(["model_id", "task_id", "occurrence", "line"], kind="stable")
    duplicated = ordered.duplicated(["model_id", "task_id"], keep="first")
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
        key = (str(record["task_id"]), str(record["model_printed"]), int(record["occurrence"]))
        if key in keys:
            raise CurationError(
                f"{row.where('occurrence')}: {key[1]!r} occurrence {key[2]} "
                f"printed twice for {key[0]}"
            )
        keys.add(key)
        records.append(record)
    frame = pd.DataFrame(records)
    primary, alternates = split_primary(frame)
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
) -> pd.DataFrame:
    """``models.csv``: one row per model_id, sorted by model_id."""
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
    return pd.DataFrame(records, columns=list(MODEL_COLUMNS))


def build_all(source_dir: Path) -> dict[str, pd.DataFrame]:
    """Every curated table, keyed as in :data:`OUTPUT_FILES`."""
    tasks = build_tasks(source_dir)
    score_rows = read_score_rows(source_dir)
    level_rows = read_level_rows(source_dir)
    names = [r.get("model") for r in score_rows] + [r.get("model") for r in level_rows]
    alias = build_alias_map(names)
    scores, alternates = build_scores(source_dir, tasks, alias)
    levels = build_published_levels(source_dir, alias)
    models = build_models(scores, alternates, levels, tasks, score_rows, alias)
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
