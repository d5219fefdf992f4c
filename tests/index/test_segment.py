from pathlib import Path

from index.normalise import normalise
from index.segment import Segmenter


def test_tokens_are_normalised_and_stop_words_dropped(segmenter):
    tokens = segmenter.tokens("快手的短劇，營收！")
    assert "短剧" in tokens and "营收" in tokens
    assert "的" not in tokens and "，" not in tokens and "!" not in tokens


def test_traditional_and_simplified_give_the_same_tokens(segmenter):
    assert segmenter.tokens("被裁員的人裡有多少工作了1到2年") == segmenter.tokens(
        "被裁员的人里有多少工作了1到2年"
    )


def test_segment_offsets_point_into_the_original(segmenter):
    text = "快手ＤＡＵ突破４億"
    tokens = segmenter.segment(text)
    assert [t.text for t in tokens][:2] == ["快手", "dau"]
    for token in tokens:
        assert normalise(text[token.start : token.end]) == token.text


def test_user_dictionary_is_private_to_its_segmenter(tmp_path: Path, segmenter):
    userdict = tmp_path / "userdict.txt"
    userdict.write_text("云帆智算 10 n\n", encoding="utf-8")
    with_dict = Segmenter(userdict=userdict)
    assert "云帆智算" in with_dict.tokens("云帆智算发布新品")
    assert with_dict.settings.userdict_sha1
    # The shared segmenter, built before and used after, is unaffected.
    assert "云帆智算" not in segmenter.tokens("云帆智算发布新品")
    assert "云帆智算" not in Segmenter().tokens("云帆智算发布新品")


def test_tokens_and_segment_agree_on_the_sample_corpus(segmenter):
    from settings import sample_corpus_dir

    for path in sample_corpus_dir().iterdir():
        for line in path.read_text(encoding="utf-8").splitlines():
            assert segmenter.tokens(line) == [t.text for t in segmenter.segment(line)]


def test_names_of_the_alias_table_are_words(segmenter):
    assert segmenter.tokens("宿华辞任CEO")[:1] == ["宿华"]


def test_operator_synonyms_make_their_names_words(tmp_path: Path, segmenter):
    synonyms = tmp_path / "synonyms.txt"
    synonyms.write_text("company: 蓝鲸智行, Lanjing\n", encoding="utf-8")
    with_names = Segmenter(synonyms=synonyms)
    assert "蓝鲸智行" in with_names.tokens("蓝鲸智行发布新车")
    assert with_names.settings.synonyms_sha1
    assert "蓝鲸智行" not in segmenter.tokens("蓝鲸智行发布新车")
