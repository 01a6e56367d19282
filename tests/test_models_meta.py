"""Table 4 metadata of data/models.csv: parsing, name matching, tiers, doubtful entries."""

from __future__ import annotations

import math
import shutil

import pandas as pd
import pytest

from glscore import paths
from glscore.io import curate
from glscore.io.curate import Backbone, link_tier


def models() -> pd.DataFrame:
    return pd.read_csv(paths.MODELS_CSV, dtype=str, keep_default_na=False).set_index("model_id")


def source_or_skip():
    source = paths.paper_source_dir()
    if not (source / curate.TABLE4_FILE).is_file():
        pytest.skip(f"Table 4 source not found: {source}")
    return source


def test_every_leaderboard_model_has_one_table4_row():
    m = models()
    assert (m["group"] != "").sum() == 102  # 12 + 9 + 81 rows of Table 4
    assert m.loc[m["in_level_tables"] == "true", "group"].ne("").all()
    assert m.loc["llama-omni", "group"] == ""  # Appendix B only
    assert m["group"].value_counts().to_dict() == {
        "open-multimodal": 81, "language": 12, "closed-multimodal": 9, "": 1}


@pytest.mark.parametrize("model_id, base, tier", [
    ("cogvlm-chat", "vicuna-7b-v1.5", "exact"),          # Vicuna-v1.5-7B
    ("idefics3-8b-llama3", "meta-llama-3.1-8b-instruct", "exact"),  # Llama-3.1-8B
    ("detgpt", "vicuna-7b-v1.5", "version"),             # Vicuna-7B, version not printed
    ("vitron-v1", "vicuna-7b-v1.5", "version"),          # vicuna-7b-v0
    ("qwen2-vl-7b", "qwen2.5-7b-instruct", "version"),   # Qwen2-7B vs Qwen2.5
    ("sa2va-8b", "internlm2-chat-7b", "version"),        # base version capped
    ("sharegpt4v-13b", "vicuna-7b-v1.5", "sibling"),     # 13B vs 7B: r = 1.86
    ("gpt-4o", "gpt-3.5-turbo", "sibling"),              # both sizes undisclosed
    ("minimonkey", "qwen2.5-7b-instruct", "sibling"),    # copied row: version demoted
    ("yi-vision-v2", "yi-lightning", "sibling"),         # 'LLaVa' replaced by Yi
    ("emu2-37b", "", ""),                                # LLaMA-33B vs 8B: r > 2
    ("next-chat", "", ""),                               # 'LLaVA' is no language model
    ("qwen2-vl-72b", "", ""),                            # 72B vs 7B
    ("llama-omni", "meta-llama-3.1-8b-instruct", "external"),  # its own paper, not Table 4
])
def test_links(model_id, base, tier):
    row = models().loc[model_id]
    assert (row["base_model_id"], row["base_tier"]) == (base, tier)


def test_external_links_only_for_models_without_a_table4_row():
    m = models()
    external = m[m["base_tier"] == curate.EXTERNAL_TIER]
    assert external.index.tolist() == ["llama-omni"] and (external["group"] == "").all()
    assert "arXiv 2409.06666" in external.loc["llama-omni", "base_evidence"]
    frame = m.reset_index()
    with pytest.raises(curate.CurationError, match="'cogvlm-chat' has a Table 4 row"):
        curate.with_external_bases(frame, {"cogvlm-chat": ("vicuna-7b-v1.5", "x")})
    with pytest.raises(curate.CurationError, match="unknown model 'nope'"):
        curate.with_external_bases(frame, {"nope": ("vicuna-7b-v1.5", "x")})


def test_parsed_columns():
    m = models()
    assert m.loc["anygpt", "modalities"] == "NLP;Image;Audio"
    assert m.loc["anygpt", "paradigms"] == "comprehension+generation"
    assert m.loc["avatargpt", "params_b"] == "0.77"         # printed 770M
    assert m.loc["gpt-4o", "params_b"] == ""                # printed /
    assert m.loc["internvl2.5-8b", "backbone_version"] == "2.5"  # 'internlm2 5-7b-chat'
    assert m.loc["pointllm-7b", "paradigms"] == "comprehension"  # printed 'Comrehension'
    assert m.loc["baichuan2-7b-base", "table4_name"] == "Baichuan2-7B-Chat"
    assert m.loc["llama-mesh", "table4_doubtful"] == "true"
    assert m.loc["cogvlm-chat", "table4_doubtful"] == "false"


def test_link_tier_rules():
    assert link_tier(Backbone("Llama", "2", 7), Backbone("Llama", "3.1", 8)) == "version"
    assert link_tier(Backbone("Llama", "2", 13), Backbone("Llama", "3.1", 8)) == "sibling"
    assert link_tier(Backbone("Llama", "", 33), Backbone("Llama", "3.1", 8)) == ""
    assert link_tier(Backbone("GPT", "2", 0.124), Backbone("GPT", "3.5")) == ""
    assert link_tier(Backbone(""), Backbone("")) == ""
    assert curate.weaker("exact") == "version" and curate.weaker("sibling") == ""


def test_support_and_size_parsing():
    assert curate.parse_support("Language, Image, Video Comprehension+Generation", "x") == (
        "NLP;Image;Video", "comprehension+generation")
    assert math.isnan(curate.parse_size("/"))
    with pytest.raises(curate.CurationError, match="cannot read modality support"):
        curate.parse_support("Language, Smell Comprehension", "table4_verbatim.txt, line 9")


def test_malformed_table4_row_names_the_line(tmp_path):
    source = source_or_skip()
    copy = tmp_path / "src"
    shutil.copytree(source, copy)
    for file in copy.iterdir():
        file.chmod(0o644)
    text = (copy / curate.TABLE4_FILE).read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(text) if line.startswith("- 3 GPT-J"))
    text[k] = "- 3 GPT-J (Wang and Komatsuzaki, 2021) GPT-J 6B Language /"  # no '|'
    (copy / curate.TABLE4_FILE).write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(curate.CurationError, match=rf"line {k + 1}: not a model row"):
        curate.build_all(copy)


def test_unknown_table4_name_is_an_error():
    rows = [curate.Table4Row(5, "language", "NoSuchModel-7B", "x", "Llama", "7B", "Language /")]
    with pytest.raises(curate.CurationError, match="matches no model"):
        curate.table4_model_ids(rows, {"Otter": "otter"})
