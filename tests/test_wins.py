"""One definition of a win, everywhere: "beats the SoTA" under each profile.

Under ``paper`` (``win_test="raw"``) a task is a win exactly when the raw value
is at least as good as the raw SoTA in the metric's direction; a tie made by a
saturating map is not one. Under ``official`` (``win_test="normalised"``) the
reference scorer's normalised ``score >= SoTA`` stays. The rules that credit
wins, the counts in ``Scores``, the boards, ``explain`` and the win map all
read the same cells.
"""

import numpy as np
import pytest

from glscore import PAPER, InputError, score, score_detailed
from glscore.analysis import distributions, leaderboard
from glscore.analysis.explain import explain_models
from glscore.core import levels
from glscore.core.metrics import REGISTRY
from glscore.core.normalise import special_metrics
from glscore.core.profiles import OFFICIAL, Profile


def raw_wins(bench, profile: Profile) -> np.ndarray:
    """The win test written from the raw values, independently of normalise:
    a mapped metric compares in its registry direction, an unmapped one as
    ``x >= SoTA`` (the paper profile rejects unmapped lower-is-better metrics)."""
    specs = special_metrics(bench.tasks, profile)
    lower = np.array([s is not None and s.direction == "lower" for s in specs])
    x, sota = bench.values, bench.sota[None, :]
    with np.errstate(invalid="ignore"):
        ok = np.where(lower[None, :], x <= sota, x >= sota)
    return ok & np.isfinite(x) & np.isfinite(sota)


def test_paper_wins_are_decided_on_the_raw_values(paper_bench):
    """Over the whole paper matrix: win <=> raw value at least as good as the raw SoTA."""
    run = score_detailed(paper_bench, "paper")
    wins, expected = run.wins(), raw_wins(paper_bench, PAPER)
    np.testing.assert_array_equal(wins, expected)
    # the saturated ties the normalised test would count (3G-022, FID: 0.6 and 0.51
    # against a SoTA of 0.23, all three map to 100.0 in floating point)
    j = paper_bench.tasks["task_id"].tolist().index("3G-022")
    fid = REGISTRY["FID"]
    assert fid.map(np.array([0.6, 0.51, 0.23])).tolist() == [100.0, 100.0, 100.0]
    for model in ("motiongpt-llama", "motiongpt-t5"):
        i = paper_bench.models.index(model)
        assert paper_bench.values[i, j] > paper_bench.sota[j]  # worse: FID is lower-is-better
        assert not wins[i, j]
        assert run.norm.scores[i, j] == np.nextafter(100.0, 0)  # one ulp below the SoTA
        assert run.credit[i, j] == 0


def test_official_keeps_the_reference_tie(paper_bench):
    run = score_detailed(paper_bench, "official")
    j = paper_bench.tasks["task_id"].tolist().index("3G-022")
    i = paper_bench.models.index("motiongpt-llama")
    assert run.norm.scores[i, j] == run.norm.sota[j] == 100.0
    assert run.wins()[i, j] and run.credit[i, j] == 100.0
    # the option alone: official with win_test="raw" drops exactly these ties
    raw = score_detailed(paper_bench, OFFICIAL.with_options(win_test="raw"))
    dropped = run.wins() & ~raw.wins()
    assert not (raw.wins() & ~run.wins()).any()
    assert sorted(paper_bench.models[i] for i in np.flatnonzero(dropped.any(axis=1))) == [
        "motiongpt-llama", "motiongpt-t5"]


def test_win_test_is_a_validated_option():
    with pytest.raises(InputError, match="win_test 'loose' is not one of"):
        PAPER.with_options(win_test="loose")
    with pytest.raises(InputError, match="win_test 'loose' is not one of"):
        Profile("x", "alias", True, False, 0.0, "all", "normalised", "present",
                win_test="loose")  # type: ignore[arg-type]
    assert PAPER.win_test == "raw" and OFFICIAL.win_test == "normalised"


WIN_RULES = [("strict", {}), ("margin", {"tau": 0.0}), ("noisy_sota", {"s": 0.0}),
             ("noise_margin", {"z": 0.0})]


@pytest.mark.parametrize("profile", ["paper", "official"])
def test_everything_reads_the_same_wins(paper_bench, profile):
    """The one winners test: rules, counts, boards, explain and the win map agree."""
    run = score_detailed(paper_bench, profile)
    wins = run.wins()
    s = run.scores
    positive = np.nan_to_num(run.norm.scores) > 0
    # every rule whose threshold is the SoTA credits exactly the (positive) wins
    for name, params in WIN_RULES:
        credit = run.with_rule(name, params).credit
        np.testing.assert_array_equal(credit > 0, wins & positive, err_msg=name)
    # beats_base keeps strict off the NLP tasks
    nlp = run.nlp_mask
    base = run.with_rule("beats_base").credit
    np.testing.assert_array_equal(base[:, ~nlp] > 0, (wins & positive)[:, ~nlp])
    # the counts in Scores
    for k in range(len(s.modalities)):
        either = run.comp_mask[:, k] | run.gen_mask[:, k]
        np.testing.assert_array_equal(s.wins_m[:, k], wins[:, either].sum(axis=1))
    if run.profile.supported_count == "present":
        np.testing.assert_array_equal(s.nlp_wins, wins[:, nlp].sum(axis=1))
    # the boards: Scope-A counts the modality and NLP tasks, Scope-B one modality
    board = leaderboard.scope_tables(run, "A")[0].table.set_index("model")
    rows = [paper_bench.models.index(m) for m in board.index]
    modality = (paper_bench.tasks["modality"] != "NLP").to_numpy()
    np.testing.assert_array_equal(board["wins"], wins[rows][:, modality | nlp].sum(axis=1))
    image = leaderboard.scope_tables(run, "B")[0]
    assert image.board.name == "Image"
    table = image.table.set_index("model")
    rows = [paper_bench.models.index(m) for m in table.index]
    np.testing.assert_array_equal(table["wins"], wins[rows][:, image.board.mask].sum(axis=1))
    # explain, per group, and the win map's winners
    for e in explain_models(paper_bench, ["motiongpt-llama", "vitron-v1"], profile):
        i = paper_bench.models.index(e["model"])
        assert sum(w["wins"] for w in e["wins"]) == int(wins[i].sum())
        ids = {t for w in e["wins"] for t in w["win_tasks"]}
        assert ids == set(paper_bench.tasks["task_id"].to_numpy()[wins[i]])
    wmap = distributions.win_map(run, profile)
    groups = paper_bench.tasks["skill_group_id"].to_numpy()
    first = wmap.set_index("skill_group_id")["winners"]
    for gid in ("D-G-9", "I-C-17"):
        assert first[gid] == int(wins[:, groups == gid].any(axis=1).sum())


def test_the_change_is_two_cells_and_two_levels(paper_bench):
    """What deciding wins on the raw values changes on the paper data: the two
    MotionGPT 3D-generation ties; both lose their only win and fall to Level-2."""
    normalised = score(paper_bench, PAPER.with_options(win_test="normalised"))
    raw = score(paper_bench, PAPER)
    moved = np.flatnonzero(normalised.level != raw.level)
    assert sorted(paper_bench.models[i] for i in moved) == ["motiongpt-llama", "motiongpt-t5"]
    assert set(normalised.level[moved]) == {3} and set(raw.level[moved]) == {2}
    # Level-2 moves by one ulp of one cell at most: 1e-14 / 22 tasks / 2 / 4 modalities
    np.testing.assert_allclose(raw.level2, normalised.level2, rtol=0, atol=1e-13)


def test_beats_sota_kernel_is_unchanged():
    # the kernel stays ">= on the normalised scale"; the profile decides what it is fed
    assert levels.beats_sota(np.array([[50.0, 49.9]]), np.array([50.0, 50.0])).tolist() == [
        [True, False]]
