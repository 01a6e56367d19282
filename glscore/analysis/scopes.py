"""The four General-Level leaderboard scopes as boards: task subsets and level caps.

========  ==========================================  ===================  ===
scope     one board per                               levels shown         cap
========  ==========================================  ===================  ===
A         the whole benchmark (``"full"``)            Level-2 .. Level-5   5
B         modality, plus combined-modality boards     Level-2 .. Level-4   4
C         modality x paradigm (8 boards)              Level-2, Level-3     3
D         skill group of a modality-paradigm pair     Level-2, Level-3     3
========  ==========================================  ===================  ===

A board's ``mask`` selects its rows of ``bench.tasks``. Scope-A and Scope-B
masks hold the modality tasks only; the NLP tasks enter Scope-A alone
(through ``S_L`` of Level-5). ``counted`` is the tasks a board's scores rest
on, the one denominator of its task count (``n_tasks``) and of every row's
coverage: the mask, plus the NLP tasks on Scope-A (699 tasks on the paper data,
not the 584 modality tasks). Scope-D uses the paper's skill groups
(``skill_group_id``, ``skill_short_name`` of ``data/tasks.csv``); the NLP
groups (``L-*``) are language-only, have no modality-paradigm pair and are
therefore not Scope-D boards (the paper counts 123 multimodal groups).

Combined-modality boards (Scope-B): the leaderboard site lists three without
saying which modalities they join. :data:`DEFAULT_COMBINED` is our documented
choice, ``Image+Video``, ``Image+Audio`` and ``Image+Video+Audio`` (the three
modalities with both paradigms for most models, Image always included since
every generalist supports it); pass ``combined=`` to choose others.

>>> import pandas as pd
>>> tasks = pd.DataFrame({"modality": ["Image", "Image", "Video"],
...                       "paradigm": ["comprehension", "generation", "comprehension"]})
>>> [b.name for b in boards(tasks, "C")]
['Image-comprehension', 'Image-generation', 'Video-comprehension']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from glscore.core.benchmark import MODALITIES, PARADIGMS
from glscore.errors import InputError, did_you_mean

SCOPES: tuple[str, ...] = ("A", "B", "C", "D")
#: Highest level a board of each scope can show.
CAPS: dict[str, int] = {"A": 5, "B": 4, "C": 3, "D": 3}
#: Default combined-modality boards of Scope-B (the official choice is unknown).
DEFAULT_COMBINED: tuple[tuple[str, ...], ...] = (
    ("Image", "Video"),
    ("Image", "Audio"),
    ("Image", "Video", "Audio"),
)


@dataclass(frozen=True)
class Board:
    """One leaderboard: a scope, a name, the tasks on it and its level cap.

    ``counted`` (default: ``mask``) holds the tasks the board's scores rest on:
    Scope-A adds the NLP tasks of ``S_L``. ``n_tasks`` counts them, and a row's
    coverage is over the same tasks."""

    scope: str
    name: str
    mask: np.ndarray = field(repr=False, compare=False)
    cap: int
    modalities: tuple[str, ...]
    counted: np.ndarray | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.counted is None:
            object.__setattr__(self, "counted", np.asarray(self.mask, dtype=bool))

    @property
    def counted_mask(self) -> np.ndarray:
        """``counted`` as a boolean array (never ``None``)."""
        return np.asarray(self.mask if self.counted is None else self.counted, dtype=bool)

    @property
    def n_tasks(self) -> int:
        """The board's tasks: ``counted`` (Scope-A: its modality and NLP tasks)."""
        return int(self.counted_mask.sum())


def check_scope(scope: str) -> str:
    """The scope letter, upper-cased; an :class:`InputError` if unknown."""
    letter = str(scope).strip().upper()
    if letter not in SCOPES:
        raise InputError(f"unknown scope '{scope}'; choose one of {list(SCOPES)}")
    return letter


def boards(tasks: pd.DataFrame, scope: str,
           combined: Sequence[Sequence[str]] | None = None) -> list[Board]:
    """The boards of ``scope`` over ``tasks`` (modalities in canonical order).

    A modality or modality-paradigm pair without tasks has no board; a
    combined board needs every one of its modalities to have tasks.
    """
    scope = check_scope(scope)
    modality = tasks["modality"].to_numpy()
    paradigm = tasks["paradigm"].to_numpy()
    present = tuple(m for m in MODALITIES if (modality == m).any())
    if scope == "A":
        mask = np.isin(modality, MODALITIES)
        return [Board("A", "full", mask, CAPS["A"], present, counted=mask | (paradigm == "nlp"))]
    if scope == "B":
        out = [Board("B", m, modality == m, CAPS["B"], (m,)) for m in present]
        for group in (DEFAULT_COMBINED if combined is None else combined):
            mods = _check_combined(group)
            if all(m in present for m in mods):
                out.append(Board("B", "+".join(mods), np.isin(modality, mods), CAPS["B"], mods))
        return out
    if scope == "C":
        return [Board("C", f"{m}-{p}", (modality == m) & (paradigm == p), CAPS["C"], (m,))
                for m in present for p in PARADIGMS if ((modality == m) & (paradigm == p)).any()]
    return _skill_boards(tasks, modality)


def _check_combined(group: Sequence[str]) -> tuple[str, ...]:
    if isinstance(group, str):
        group = group.split("+")
    mods = tuple(str(m).strip() for m in group)
    unknown = [m for m in mods if m not in MODALITIES]
    if unknown or len(mods) < 2 or len(set(mods)) != len(mods):
        raise InputError(f"combined board {list(mods)}: give two or more distinct modalities "
                         f"of {list(MODALITIES)}")
    return tuple(m for m in MODALITIES if m in mods)


def _skill_boards(tasks: pd.DataFrame, modality: np.ndarray) -> list[Board]:
    missing = [c for c in ("skill_group_id", "skill_short_name") if c not in tasks.columns]
    if missing:
        raise InputError(f"Scope-D needs the tasks column(s) {missing} (skill groups)")
    groups = tasks["skill_group_id"].to_numpy(dtype=object)
    multimodal = np.isin(modality, MODALITIES)
    first = tasks.loc[multimodal].drop_duplicates("skill_group_id")
    out = []
    for gid, short, mod in zip(first["skill_group_id"], first["skill_short_name"],
                               first["modality"], strict=True):
        out.append(Board("D", f"{gid} {short}", multimodal & (groups == gid), CAPS["D"], (mod,)))
    return out


def find_board(board_list: Sequence[Board], name: str) -> Board:
    """The board called ``name`` (case-insensitive; Scope-D also by group id)."""
    wanted = name.strip().lower()
    for board in board_list:
        if wanted in (board.name.lower(), board.name.split(" ")[0].lower()):
            return board
    names = [b.name for b in board_list]
    hint = did_you_mean(name, names) or f"; e.g. {names[:6]}"
    scope = board_list[0].scope if board_list else "?"
    raise InputError(f"no board '{name}' in Scope-{scope}{hint}")


def multimodal(supported_m: np.ndarray) -> np.ndarray:
    """Models with multimodal support: at least one supported task in a modality
    (``supported_m``, models x modalities, of :class:`~glscore.core.scoring.Scores`).
    The others are language-only: their level cannot move with any
    modality's scores, so they are kept apart from stability counts.

    >>> multimodal(np.array([[0, 3], [0, 0]])).tolist()
    [True, False]
    """
    return np.asarray(supported_m).sum(axis=1) > 0

