"""The one exception type the package raises for bad input.

Every message is a single line that names the file, sheet, row or column at
fault, so that the command line can print it as it is and exit with 2.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def visible(text: object, keep: str = "") -> str:
    """``text`` with every character a terminal would act on or hide shown as
    an escape: controls (``\\x1b``, ``\\n``, ``\\x7f``, C1 controls), line and
    paragraph separators, and formatting characters (zero-width spaces,
    direction overrides such as ``\\u202e``; the zero-width joiner of emoji
    sequences is kept). Everything else is unchanged. The one escape for text
    bound for a terminal: error messages, warnings, tables printed by the
    command line. ``keep`` lists characters left as they are (``"\\n\\t"`` for
    whole pages of output, where a line break is a line break).

    >>> visible("red\\x1b[31m"), visible("a\\nb"), visible("\\u202egnp.exe"), visible("Café")
    ('red\\\\x1b[31m', 'a\\\\nb', '\\\\u202egnp.exe', 'Café')
    """
    out = str(text)
    if out.isprintable():  # the common case: nothing to escape
        return out
    return "".join(c if c in keep else _escape_char(c) for c in out)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str) -> str:
    if char == " " or char == "\u200d":
        return char
    if char in _NAMED:
        return _NAMED[char]
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
            else f"\\U{code:08x}"
    return char


class InputError(ValueError):
    """Bad input: a one-line message naming where the problem is; characters a
    terminal would act on are shown as escapes (:func:`visible`)."""

    def __init__(self, message: str) -> None:
        super().__init__(visible(" ".join(str(message).split())))


class UnknownModelError(InputError, KeyError):
    """An unknown model id or name: an :class:`InputError` (the command line
    prints one line) and a ``KeyError`` (as a pandas user expects of a lookup).

    >>> str(UnknownModelError("unknown model 'x'"))
    "unknown model 'x'"
    """

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def where(file: object = None, sheet: str | None = None, row: int | None = None,
          column: str | None = None) -> str:
    """Format a location prefix such as ``'r.xlsx', sheet 'NLP', row 5: ``."""
    parts = []
    if file is not None:
        parts.append(f"'{file}'")
    if sheet is not None:
        parts.append(f"sheet '{sheet}'")
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts) + ": " if parts else ""


_TASK_ID = re.compile(r"^\s*([A-Za-z0-9]+)\s*[-_ ]?\s*0*(\d+)\s*$")


def did_you_mean(value: object, choices: Iterable[object], n: int = 3) -> str:
    """`` (did you mean 'a', 'b'?)`` for the choices most similar to ``value``, or ``""``.

    A value shaped like a task id (a prefix and a number: ``IC-1``, ``ic_01``,
    ``IC1``) is matched by prefix and number, so ``IC-1`` suggests ``IC-001``
    first, then the nearest numbers of that prefix. Otherwise similarity is
    :func:`difflib.get_close_matches` on lower-cased text, so a typo of
    ``vitron-v1`` suggests ``vitron-v1``, not the first names in order.

    >>> did_you_mean("vitron-v2", ["anygpt", "vitron-v1", "emu2-37b"])
    " (did you mean 'vitron-v1'?)"
    >>> did_you_mean("IC-1", ["IC-271", "IC-261", "IC-001", "IC-002", "IG-001"])
    " (did you mean 'IC-001', 'IC-002', 'IC-261'?)"
    """
    import difflib

    options = [str(c) for c in choices]
    hits = _task_id_matches(str(value), options, n)
    if hits:
        return " (did you mean " + ", ".join(f"'{h}'" for h in hits) + "?)"
    lowered: dict[str, str] = {}
    for option in options:
        lowered.setdefault(option.lower(), option)
    close = difflib.get_close_matches(str(value).lower(), list(lowered), n=n, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + ", ".join(f"'{lowered[h]}'" for h in close) + "?)"


def _task_id_matches(value: str, options: list[str], n: int) -> list[str]:
    """The options with ``value``'s prefix, nearest number first (``[]`` when
    ``value`` is not shaped like a task id or no option shares its prefix)."""
    match = _TASK_ID.match(value)
    if not match:
        return []
    prefix, number = match.group(1).upper(), int(match.group(2))
    same = []
    for option in options:
        found = _TASK_ID.match(option)
        if found and found.group(1).upper() == prefix:
            same.append((abs(int(found.group(2)) - number), int(found.group(2)), option))
    return [option for *_, option in sorted(same)[:n]]


def plain(number: object) -> str:
    """A number as a person writes it: ``-3.0`` rather than ``np.float64(-3.0)``.

    >>> import numpy as np; plain(np.float64(-3.0)), plain(np.int64(7)), plain(0.1 + 0.2)
    ('-3.0', '7', '0.30000000000000004')
    """
    try:
        value = float(number)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(number)
    if value.is_integer() and not isinstance(number, float) and "float" not in type(
            number).__name__:
        return str(int(value))
    return repr(value)
