"""``glscore rules``: every synergy rule available, with its formula and parameters.

Built-in rules first, then the rules installed packages declare in the
entry-point group ``glscore.rules``. ``--json`` prints a list of objects
``{"name", "source", "target", "form", "formula", "params", "note"}``
(``form``: ``cell`` or ``context``; ``params``: name -> default).
"""

from __future__ import annotations

import argparse
import inspect
import json
from dataclasses import dataclass
from typing import Any

from glscore.core import synergy
from glscore.core.synergy import format_parameters, registry, rule_parameters, takes_context
from glscore.core.synergy.registry import RuleFunction, json_default, load_entry_point
from glscore.errors import InputError


@dataclass(frozen=True)
class RuleInfo:
    """One line of :func:`catalogue`."""

    name: str
    source: str        # "built-in" or "entry point <distribution>"
    target: str        # module:function
    form: str          # "cell" or "context"
    formula: str       # the docstring's first paragraph
    params: dict[str, float | None]
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "target": self.target,
                "form": self.form, "formula": self.formula,
                "params": {k: json_default(v) for k, v in self.params.items()},
                "note": self.note}


def _info(name: str, source: str, target: str, function: RuleFunction, note: str = ""
          ) -> RuleInfo:
    doc = inspect.getdoc(function) or ""
    formula = " ".join(doc.split("\n\n", 1)[0].split())
    return RuleInfo(name, source, target, "context" if takes_context(function) else "cell",
                    formula, rule_parameters(function), note)


def _target(function: RuleFunction) -> str:
    """``module:function`` of a built-in: the public ``glscore.core.synergy`` path
    where the package exports it, else the defining module."""
    name = function.__qualname__
    if getattr(synergy, name, None) is function:
        return f"{synergy.__name__}:{name}"
    return f"{function.__module__}:{name}"


def catalogue() -> list[RuleInfo]:
    """Every rule available by name: built-ins, then installed entry points.

    An entry point whose name is a built-in's is listed with a note (the
    built-in wins); one that fails to load is listed with the error.
    """
    builtin = registry.registered()
    out = [_info(n, "built-in", _target(f), f) for n, f in sorted(builtin.items())]
    for name, ep in sorted(registry.entry_point_rules().items()):
        dist = getattr(getattr(ep, "dist", None), "name", None) or "?"
        source = f"entry point {dist}"
        try:
            function = load_entry_point(ep)
        except InputError as exc:
            out.append(RuleInfo(name, source, ep.value, "?", "", {}, f"not loadable: {exc}"))
            continue
        note = "not used: a built-in rule has this name" if name in builtin else ""
        out.append(_info(name, source, ep.value, function, note))
    return out


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("rules", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    infos = catalogue()
    if args.json:
        print(json.dumps([info.as_dict() for info in infos], indent=2, allow_nan=False))
        return 0
    for info in infos:
        params = format_parameters(info.params)
        print(f"{info.name}({params})  [{info.source}, {info.form} rule, {info.target}]")
        if info.formula:
            print(f"    {info.formula}")
        if info.note:
            print(f"    note: {info.note}")
    return 0
