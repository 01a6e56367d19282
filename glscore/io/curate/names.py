"""Printed model names -> ``model_id``: the alias rules
(``data/curation/model_rules.csv``, :func:`glscore.io.curate.rules.model_rules`)
and the slug of every other name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from glscore.io.curate.rules import ModelRule, model_rules
from glscore.io.curate.schema import CurationError


def slugify(name: str) -> str:
    """Lowercase slug of a printed name: runs of other characters become '-'.

    >>> slugify("LaVIT-V2 (7B)")
    'lavit-v2-7b'
    """
    slug = re.sub(r"[^a-z0-9.]+", "-", name.strip().lower())
    return slug.strip("-")


def build_alias_map(
    printed_names: Iterable[str], rules: Sequence[ModelRule] | None = None
) -> dict[str, str]:
    """Map every printed model name to its ``model_id``.

    Listed names follow ``rules`` (default: :func:`~glscore.io.curate.rules.model_rules`);
    any other name gets ``slugify(name)``.
    Raises :class:`CurationError` when a rule lists a name twice, or when two
    unlisted names (or an unlisted name and a rule) share a slug, since that
    would merge models without a written rule.
    """
    rules = model_rules() if rules is None else rules
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
