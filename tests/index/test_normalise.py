import unicodedata

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.normalise import normalise, normalise_with_offsets


@pytest.mark.parametrize(
    "text, expected",
    [
        ("快手短劇單日消耗", "快手短剧单日消耗"),
        ("ＤＡＵ達到４.０８億", "dau达到4.08亿"),
        ("Kling  AI\t1.5", "kling ai 1.5"),
        ("  被裁員的人裡  ", "被裁员的人里"),
        ("增长１１．４％", "增长11.4%"),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_offsets_map_back_to_the_original():
    text = " ＤＡＵ達到 \n ４.０８億"
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == "dau达到 4.08亿"
    assert len(offsets) == len(normalised) + 1
    start = normalised.index("4.08亿")
    assert text[offsets[start] : offsets[start + len("4.08亿") - 1] + 1] == "４.０８億"


def test_fast_and_offset_forms_agree():
    text = "快手ＤＡＵ  突破４億，短劇「單日」消耗\t峰值 Kling AI 1.5。"
    assert normalise(text) == normalise_with_offsets(text)[0]


@pytest.mark.parametrize("text", ["漢\ud800字", "\udcff", "a\udfffb\ud83d"])
def test_lone_surrogates_become_replacement_characters(text):
    # OpenCC cannot take them; one such string must not abort a build.
    normalised, offsets = normalise_with_offsets(text)
    assert normalise(text) == normalised
    assert "\ufffd" in normalised and len(offsets) == len(normalised) + 1
    normalised.encode("utf-8")


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    "快手營收ＡＢｃ１２％，：　 \tA1%,\u0301\u0308\u3099ｶﾞＤＡＵ①ℌ…ﬁ㍱가\u1100\u1161"
)))
def test_normalise_is_nfkc_lower_whitespace_then_simplified(text):
    """Whatever shortcut normalise takes, it gives what the plain steps give."""
    plain = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    assert normalise(text) == opencc.OpenCC("t2s").convert(plain)
