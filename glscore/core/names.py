"""Model names are data: one canonical spelling, a key for "the same name",
and no name that cannot be seen.

Every loader passes a model name through :func:`canonical` (and
:class:`~glscore.core.benchmark.Benchmark` checks the ids it is given), so

* a name is NFC-normalised (``"e\\u0301"`` and ``"\\u00e9"`` are one spelling
  of "é"), surrounding blanks removed;
* a name with nothing visible in it (empty, blanks, a zero-width space,
  control or formatting characters, a lone combining mark, Hangul fillers,
  the blank Braille pattern) is an :class:`~glscore.errors.InputError`;
* two names are *the same name* when their :func:`key` is equal: NFKC
  (compatibility forms such as full-width letters or ligatures folded),
  case-folded, invisible characters dropped and blanks collapsed. Two models
  whose names share a key are an error, as two spellings that differ only by
  case always were.

How a name is shown is each medium's business (:func:`glscore.errors.visible`
for the terminal, :mod:`glscore.io.markdown`, :mod:`glscore.io.latex`, the
report's templates); here it is only checked and keyed.

>>> canonical("  Cafe\\u0301 ") == "Caf\\u00e9"
True
>>> key("ＶＩＴＲＯＮ-v1\\u200b") == key("vitron-V1")
True
>>> canonical("\\u200b")
Traceback (most recent call last):
...
glscore.errors.InputError: model name '\\u200b' has no visible character
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from glscore.errors import InputError, visible

#: Characters that render as nothing although their category says "letter" or
#: "symbol" (Hangul fillers, the Mongolian vowel separator, the blank Braille
#: pattern, the combining grapheme joiner).
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u180e\u2800\u034f")
#: Unicode categories with nothing to see on their own: controls, formatting
#: characters (zero-width spaces and joiners, direction marks), separators,
#: unassigned and private-use code points, combining marks.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Co", "Zs", "Zl", "Zp", "Mn", "Me"})


def invisible(char: str) -> bool:
    """Whether ``char`` shows nothing by itself.

    >>> invisible("\\u200b"), invisible(" "), invisible("a"), invisible("\\u3164")
    (True, True, False, True)
    """
    return char in BLANK_LOOKING or unicodedata.category(char) in INVISIBLE_CATEGORIES


def canonical(name: object, where: str = "") -> str:
    """The canonical spelling of a model name: NFC, surrounding blanks removed.

    ``where`` prefixes the error (``"'r.csv', line 3, column 'model': "``).
    A name without a visible character is an :class:`InputError`.
    """
    text = unicodedata.normalize("NFC", str(name)).strip()
    if not text or all(invisible(c) for c in text):
        raise InputError(f"{where}model name '{visible(name)}' has no visible character"
                         if text or str(name) else f"{where}empty model name")
    return text


def key(name: str) -> str:
    """What two spellings of one name share: NFKC, case-folded, invisible
    characters dropped, blanks collapsed (see the module docstring).

    >>> key("Vitron-V1") == key("vitron-v1"), key("a  b") == key("a b")
    (True, True)
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    shown = "".join(c if not invisible(c) or c.isspace() else "" for c in folded)
    return " ".join(shown.split())


def clash(name: str, other: str) -> str:
    """The one message for two model names with the same :func:`key`."""
    if name == other:
        return f"model '{visible(name)}' appears twice"
    if name.lower() == other.lower():
        return (f"model '{visible(name)}' differs only by case from '{visible(other)}' "
                "(model names are compared case-insensitively)")
    return (f"model '{visible(name)}' and '{visible(other)}' are the same name once "
            "normalised (case, Unicode compatibility forms and invisible characters are "
            "ignored when names are compared)")


def first_clash(names: Iterable[str]) -> tuple[int, str, str] | None:
    """``(position, name, earlier name)`` of the first name whose :func:`key`
    an earlier one has; ``None`` if every key is distinct.

    >>> first_clash(["a", "B", "b"])
    (2, 'b', 'B')
    """
    seen: dict[str, str] = {}
    for position, name in enumerate(names):
        k = key(name)
        if k in seen:
            return position, name, seen[k]
        seen[k] = name
    return None
