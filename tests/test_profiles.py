"""Profiles validate every field from its type (issue 23): a typo is an error."""

import dataclasses
import typing

import numpy as np
import pytest

from glscore import OFFICIAL, PAPER, Profile, score
from glscore.core import profiles
from glscore.core.normalise import normalise
from glscore.core.vocabulary import CHOICES
from glscore.errors import InputError


@pytest.mark.parametrize(("option", "value", "message"), [
    ("metric_matching", "Alias",
     "profile 'paper': metric_matching 'Alias' is not one of ['exact', 'alias'] "
     "(did you mean 'alias'?)"),
    ("nlp_mode", "offical",
     "profile 'paper': nlp_mode 'offical' is not one of ['official', 'normalised'] "
     "(did you mean 'official'?)"),
    ("level4_epsilon", "abc", "profile 'paper': level4_epsilon 'abc' is not a finite number"),
    ("level4_epsilon", float("inf"), "level4_epsilon inf is not a finite number >= 0"),
    ("level4_epsilon", -1e-6, "level4_epsilon -1e-06 is not a finite number >= 0"),
    ("level4_epsilon", True, "level4_epsilon True is not a finite number"),
    ("wer_percent", "yes", "profile 'paper': wer_percent 'yes' is not a bool"),
    ("missing_special_as_zero", 1, "missing_special_as_zero 1 is not a bool"),
    ("overall_over", "present ", "overall_over 'present ' is not one of ['present', 'all']"),
    ("rule", "", "profile 'paper': rule '' is not a non-empty string"),
    ("aggregation", "sum", "aggregation 'sum' is not one of ['per_modality', 'pooled']"),
    ("level4_mean", None, "level4_mean None is not one of ['harmonic', 'geometric', "
     "'arithmetic']"),
    ("supported_count", "all", "supported_count 'all' is not one of ['official', 'present']"),
    ("metricmatching", "alias",
     "profile 'paper': unknown option 'metricmatching' (did you mean 'metric_matching'?)"),
])
def test_a_bad_option_is_one_line_naming_field_value_and_choices(option, value, message):
    with pytest.raises(InputError) as exc:
        PAPER.with_options(**{option: value})
    assert message in str(exc.value) and "\n" not in str(exc.value)


def test_every_field_is_checked_also_when_built_or_replaced():
    with pytest.raises(InputError, match="nlp_mode 'raw' is not one of"):
        dataclasses.replace(OFFICIAL, nlp_mode="raw")
    with pytest.raises(InputError, match="metric_matching 'fuzzy'"):
        Profile("mine", "fuzzy", False, False, 0.0, "all", "normalised", "present")
    # each field of Profile has a check (a type without one would raise here)
    for field in dataclasses.fields(Profile):
        profiles.check_field("paper", field.name, getattr(PAPER, field.name))


def test_literal_choices_are_the_vocabularys():
    """Where the vocabulary spells an option's choices, the Literal says the same."""
    hints = typing.get_type_hints(Profile)
    for name, kind in hints.items():
        if typing.get_origin(kind) is typing.Literal and name in CHOICES:
            assert typing.get_args(kind) == CHOICES[name], name


def test_with_options_names_the_change_and_ignores_no_change():
    assert PAPER.with_options(aggregation="per_modality") is PAPER
    pooled = PAPER.with_options(aggregation="pooled", level4_mean="geometric")
    assert pooled.name == "paper[aggregation=pooled,level4_mean=geometric]"


def test_an_impossible_value_is_never_a_fall_through(make_bench):
    """A profile forced past validation (object.__setattr__) hits no ``else``:
    every branch names its choice, and anything else raises."""
    bench = make_bench([("IC-001", "Acc", "higher", 50.0), ("NLP-001", "Acc", "higher", 50.0)],
                       [[60.0, 40.0]])
    for field, value in (("nlp_mode", "offical"), ("metric_matching", "Alias"),
                         ("overall_over", "some"), ("supported_count", "many"),
                         ("aggregation", "sum")):
        forced = dataclasses.replace(PAPER)
        object.__setattr__(forced, field, value)
        with pytest.raises(InputError, match=f"impossible {field} '{value}'"):
            if field in ("nlp_mode", "metric_matching"):
                normalise(bench, forced)
            else:
                score(bench, forced)
    assert np.isfinite(score(bench, PAPER).level2).all()
