"""The sentence table the build writes beside the postings: what ranking gathers."""

from __future__ import annotations

from pathlib import Path

from index import build_index
from index.bigrams import keys_by_text
from index.normalise import normalise
from index.sentence_table import DATED, DIGITS, SentenceTable, kinds_of_bits
from index.store import open_store, read_array, read_mapped, read_meta
from tests.index.test_build import ARTICLES, write_corpus


def table_and_rows(db_path: Path) -> tuple[SentenceTable, list[int], list[tuple], list[str]]:
    """The table, the passage id of each column, the stored sentences and the vocabulary."""
    db = open_store(db_path)
    try:
        table = SentenceTable.from_arrays(read_mapped(db_path, read_meta(db)))
        columns = read_array(db, "passage_ids").tolist()
        sentences = db.execute(
            "select s.id, s.passage_id, s.text, s.tokens, s.figure_kinds, s.normalised, "
            "p.article, p.section, d.path from sentences s join passages p on p.id = "
            "s.passage_id join documents d on d.id = p.document_id "
            "order by s.passage_id, s.position").fetchall()
        terms = [t for (t,) in db.execute("select term from terms order by id")]
    finally:
        db.close()
    return table, columns, sentences, terms


def assert_table_matches_store(db_path: Path) -> tuple[SentenceTable, list[str]]:
    """Check that every passage in the postings has its stored sentences as rows."""
    table, columns, sentences, terms = table_and_rows(db_path)
    by_passage: dict[int, list[tuple]] = {}
    for row in sentences:
        by_passage.setdefault(row[1], []).append(row)
    assert len(table.sentence_indptr) == len(columns) + 1
    for column, passage_id in enumerate(columns):
        rows = by_passage[passage_id]
        first, last = table.sentence_indptr[column], table.sentence_indptr[column + 1]
        assert last - first == len(rows)
        assert table.first_sentence_id[column] == rows[0][0]
        folded = table.folded[table.folded_indptr[column]:table.folded_indptr[column + 1]]
        assert folded.tobytes().decode() == "\n".join(row[5] for row in rows)
        heading = table.heading_of[column]
        keys = table.heading_keys[table.heading_indptr[heading]:table.heading_indptr[heading + 1]]
        article, section, path = rows[0][6:9]
        assert table.heading(heading) == (article, section)
        assert table.path(column) == path
        assert keys.tolist() == sorted(set(keys_by_text([normalise(f"{article}\n{section}")])[0]
                                           .tolist()))
        for row_index, (_, _, text, tokens, kinds, normalised, *_) in enumerate(rows, first):
            words = table.token_ids[table.token_indptr[row_index]:table.token_indptr[row_index + 1]]
            assert {terms[i] for i in words.tolist()} == set(tokens.split())
            assert len(words) == len(set(tokens.split()))
            assert table.chars[row_index] == len(text)
            assert table.folded_chars[row_index] == len(normalised)
            assert kinds_of_bits(int(table.kinds[row_index])) == set(kinds.split())
            flags = int(table.flags[row_index])
            assert bool(flags & DIGITS) == any(c.isdigit() for c in normalised)
            if "date" in kinds.split():
                assert flags & DATED
    assert len(table.word_kinds) == len(terms)
    return table, terms


def test_every_kept_sentence_is_a_row_with_its_words_flags_and_text(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", ARTICLES | {
        "copy.txt": ARTICLES["a.txt"],  # a copy: left out of the postings and the table
        "d.txt": "二〇二三年回顾\n2023年公司净利润为3.5亿元，门店数量未公布。\n",
    })
    build_index(corpus, tmp_path / "wenda.db")
    table, terms = assert_table_matches_store(tmp_path / "wenda.db")
    assert len(table.first_sentence_id) == 5  # the copy's passages have no column
    # 公司 is a noun, 净利润 is no name, and no word of the articles names a person.
    kinds = dict(zip(terms, table.word_kinds.tolist(), strict=True))
    assert kinds["公司"] == 3 and 0 not in kinds.values()


def test_an_incremental_reindex_keeps_the_table_true_to_the_store(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    build_index(corpus, tmp_path / "wenda.db")
    write_corpus(corpus, {"b.md": "# 星河咖啡门店破万\n\n门店总数突破12000家，2024年新开800家。\n"})
    (corpus / "c.jsonl").unlink()
    summary = build_index(corpus, tmp_path / "wenda.db")
    assert (summary.changed, summary.removed, summary.unchanged) == (1, 1, 1)
    table, _ = assert_table_matches_store(tmp_path / "wenda.db")
    assert len(table.first_sentence_id) == 3
