"""The one vocabulary of glscore: task-table values and option choices.

Every module that accepts or checks one of these values imports it from
here (tasks-table validation, profiles, ablation grids, level formulas, the
command line), so that a spelling is defined once.

>>> check_choice("aggregation", "pooled")
'pooled'
>>> check_choice("aggregation", "mean")
Traceback (most recent call last):
...
glscore.errors.InputError: unknown aggregation 'mean'; choose one of ['per_modality', 'pooled']
"""

from __future__ import annotations

from typing import NoReturn

from glscore.errors import InputError

#: Sheets in canonical order: (sheet name, modality, paradigm, task-id prefix).
SHEETS: tuple[tuple[str, str, str, str], ...] = (
    ("Image-Comprehension", "Image", "comprehension", "IC"),
    ("Image-Generation", "Image", "generation", "IG"),
    ("Video-Comprehension", "Video", "comprehension", "VC"),
    ("Video-Generation", "Video", "generation", "VG"),
    ("Audio-Comprehension", "Audio", "comprehension", "AC"),
    ("Audio-Generation", "Audio", "generation", "AG"),
    ("3D-Comprehension", "3D", "comprehension", "3C"),
    ("3D-Generation", "3D", "generation", "3G"),
    ("NLP", "NLP", "nlp", "NLP"),
)
SHEET_NAMES: tuple[str, ...] = tuple(s[0] for s in SHEETS)
#: The four non-language modalities, in canonical order.
MODALITIES: tuple[str, ...] = ("Image", "Video", "Audio", "3D")
#: The two paradigms of a modality (Level-2..4 pair them).
PARADIGMS: tuple[str, ...] = ("comprehension", "generation")
#: Every value of the tasks table's ``modality`` and ``paradigm`` columns.
TASK_MODALITIES: tuple[str, ...] = MODALITIES + ("NLP",)
TASK_PARADIGMS: tuple[str, ...] = PARADIGMS + ("nlp",)
#: A metric's direction: higher or lower is better.
DIRECTIONS: tuple[str, ...] = ("higher", "lower")
#: Columns every tasks table has.
TASK_COLUMNS: tuple[str, ...] = (
    "task_id", "modality", "paradigm", "sheet", "sheet_row", "task_name",
    "task_short_name", "metric", "direction", "sota",
)

#: Option choices, by option name (the first is the default where one applies).
CHOICES: dict[str, tuple[str, ...]] = {
    "aggregation": ("per_modality", "pooled"),
    "level4_mean": ("harmonic", "geometric", "arithmetic"),
    "overall_over": ("present", "all"),
    "scale": ("auto", "percent", "fraction"),
    "grid_design": ("one_at_a_time", "full"),
    # how "beats the SoTA" is decided (glscore.core.profiles, glscore.core.normalise)
    "win_test": ("normalised", "raw"),
}
#: The evaluation harnesses whose outputs glscore reads (a mapping's ``harness``
#: column), and the ``--input-format`` choices.
HARNESSES: tuple[str, ...] = ("lm-eval", "lmms-eval", "vlmevalkit", "opencompass", "helm")
HARNESS_FORMATS: tuple[str, ...] = ("auto",) + HARNESSES
#: A result rests on little coverage when the model supports fewer than this
#: share of the tasks (a board row's ``low_coverage``, and the boards' default
#: minimum coverage to be ranked: glscore.analysis.leaderboard says why 6%;
#: ``glscore score`` warns).
LOW_COVERAGE = 0.06

AGGREGATIONS: tuple[str, ...] = CHOICES["aggregation"]
LEVEL4_MEANS: tuple[str, ...] = CHOICES["level4_mean"]
SCALES: tuple[str, ...] = CHOICES["scale"]


def check_choice(option: str, value: str) -> str:
    """``value`` if it is one of ``CHOICES[option]``, else an :class:`InputError`."""
    allowed = CHOICES[option]
    if value not in allowed:
        raise InputError(f"unknown {option} '{value}'; choose one of {list(allowed)}")
    return value


def unreachable(option: str, value: object) -> NoReturn:
    """Raise for an option value no branch handles (a validated profile never
    has one): every branch on an option names its choice, none falls through.

    >>> unreachable("nlp_mode", "offical")
    Traceback (most recent call last):
    ...
    glscore.errors.InputError: impossible nlp_mode 'offical': no branch handles it
    """
    raise InputError(f"impossible {option} {value!r}: no branch handles it")
