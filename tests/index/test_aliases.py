from index.aliases import load_aliases, name_words, parse_aliases


def test_parse_aliases_normalises_forms_and_kinds():
    groups = parse_aliases(["# comment", "company: 快手, Kuaishou", "营收, revenue", "单独"])
    assert [(g.kind, g.forms) for g in groups] == [
        ("company", ("快手", "kuaishou")),
        ("term", ("营收", "revenue")),
    ]


def test_operator_file_extends_the_shipped_table(tmp_path):
    operator = tmp_path / "synonyms.txt"
    operator.write_text("product: 星辰, Xingchen\n", encoding="utf-8")
    shipped = load_aliases()
    assert load_aliases(operator)[: len(shipped)] == shipped
    assert load_aliases(operator)[-1].forms == ("星辰", "xingchen")


def test_name_words_are_the_chinese_names_only():
    groups = parse_aliases(["company: 哔哩哔哩, B站, Bilibili", "metric: 日活, DAU"])
    assert name_words(groups) == ["哔哩哔哩"]
