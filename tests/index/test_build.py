import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from index import IndexBusy, build_index
from index.store import StoreOutdated, check_store, open_store, read_meta, write_meta

ARTICLES = {
    "a.txt": (
        "云帆科技发布财报\n云帆科技发布财报\n总营收同比增长18.5%至126亿元。\n"
        "云端业务\n云服务收入为41亿元。\n"
    ),
    "b.md": "# 星河咖啡门店破万\n\n门店总数突破10000家。\n",
    "c.jsonl": '{"title": "江城地铁", "text": "日均客流达到266万人次。"}\n',
}


def write_corpus(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", ARTICLES)


def mapped_files(folder: Path) -> list[str]:
    """The weighed-postings files beside the stores in `folder`."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".arrays"))


def rows(db_path: Path, sql: str) -> list[tuple]:
    db = open_store(db_path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_build_stores_documents_passages_sentences_and_sources(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    summary = build_index(corpus, db_path)
    assert (summary.added, summary.changed, summary.removed, summary.documents) == (3, 0, 0, 3)
    assert summary.passages == 4 and summary.sentences == 4
    sources = rows(
        db_path,
        "select d.path, p.article, p.section, s.text from sentences s "
        "join passages p on p.id = s.passage_id join documents d on d.id = s.document_id "
        "order by s.id",
    )
    assert sources == [
        ("a.txt", "云帆科技发布财报", "", "总营收同比增长18.5%至126亿元。"),
        ("a.txt", "云帆科技发布财报", "云端业务", "云服务收入为41亿元。"),
        ("b.md", "星河咖啡门店破万", "", "门店总数突破10000家。"),
        ("c.jsonl", "江城地铁", "", "日均客流达到266万人次。"),
    ]
    meta = read_meta(open_store(db_path))
    assert meta["documents"] == 3 and meta["segmenter"]["mode"] in ("search", "default")
    assert rows(db_path, "select count(*) from terms")[0][0] > 5


def test_figures_are_stored_with_their_sentence(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    figures = rows(
        db_path,
        "select f.text, f.kind, f.unit from figures f join sentences s on s.id = f.sentence_id "
        "where s.text like '总营收%' order by f.start",
    )
    assert ("126亿元", "money", "CNY") in figures


def test_unchanged_files_are_not_read_again(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    before = rows(db_path, "select path, indexed_at, id from documents order by path")
    summary = build_index(corpus, db_path)
    assert (summary.added, summary.changed, summary.unchanged, summary.chars) == (0, 0, 3, 0)
    assert rows(db_path, "select path, indexed_at, id from documents order by path") == before


def test_touching_a_file_without_changing_it_reads_nothing(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    os.utime(corpus / "a.txt", ns=(1, 1))
    summary = build_index(corpus, db_path)
    assert (summary.changed, summary.unchanged, summary.chars) == (0, 3, 0)


def test_changing_one_file_resegments_only_it(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    others_sql = "select id, text, tokens from passages where document_id in (2, 3) order by id"
    others = rows(db_path, others_sql)
    (corpus / "a.txt").write_text("新标题\n净利润为15.3亿元。\n", encoding="utf-8")
    summary = build_index(corpus, db_path)
    assert (summary.added, summary.changed, summary.unchanged) == (0, 1, 2)
    assert summary.chars == len("净利润为15.3亿元。")
    texts = [t for (t,) in rows(db_path, "select text from sentences")]
    assert "净利润为15.3亿元。" in texts and "总营收同比增长18.5%至126亿元。" not in texts
    assert rows(db_path, others_sql) == others  # the other documents keep their rows


def test_deleted_files_disappear(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    (corpus / "b.md").unlink()
    summary = build_index(corpus, db_path)
    assert (summary.removed, summary.documents) == (1, 2)
    assert rows(db_path, "select count(*) from sentences where text like '%10000家%'") == [(0,)]
    assert rows(
        db_path,
        "select count(*) from figures f left join sentences s "
        "on s.id = f.sentence_id where s.id is null",
    ) == [(0,)]


def test_undecodable_file_is_skipped_and_named(corpus, tmp_path):
    write_corpus(
        corpus,
        {"broken.txt": b"\x00\xff\xfe binary \x00", "gbk.txt": "标题\n内容。\n".encode("gbk")},
    )
    summary = build_index(corpus, tmp_path / "wenda.db")
    assert [(s.path, "binary" in s.reason) for s in summary.skipped] == [("broken.txt", True)]
    assert summary.documents == 4


def test_unchanged_undecodable_file_does_not_rebuild_the_store(corpus, tmp_path):
    """A reindex of an unchanged corpus leaves the store alone even when a file is unreadable,
    still names that file, and reads it again once it changes."""
    write_corpus(corpus, {"broken.txt": b"\x00\xff\xfe binary \x00"})
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    before = db_path.stat()
    again = build_index(corpus, db_path)
    after = db_path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [(s.path, "binary" in s.reason) for s in again.skipped] == [("broken.txt", True)]
    assert again.unchanged == 3 and again.added == 0 and not again.rebuilt

    write_corpus(corpus, {"broken.txt": "修好了\n现在是正文。\n".encode()})
    mended = build_index(corpus, db_path)
    assert mended.skipped == () and mended.added == 1 and mended.documents == 4


def test_crash_midway_leaves_the_old_store_serving(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    before = rows(db_path, "select text from sentences order by id")
    write_corpus(corpus, {"d.txt": "新文章\n新内容。\n", "e.txt": "另一篇\n更多内容。\n"})

    def crash(progress):
        raise RuntimeError("disk on fire")

    mapped = mapped_files(tmp_path)
    with pytest.raises(RuntimeError):
        build_index(corpus, db_path, progress=crash)
    assert rows(db_path, "select text from sentences order by id") == before
    assert [p.name for p in tmp_path.iterdir() if "building" in p.name] == []
    assert mapped_files(tmp_path) == mapped
    assert build_index(corpus, db_path).added == 2


def test_killed_reindex_leaves_the_old_store_and_is_cleaned_up(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    before = rows(db_path, "select text from sentences order by id")
    write_corpus(corpus, {"d.txt": "新文章\n新内容。\n"})
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom index import build_index\n"
        "def hang(progress):\n    print('building', flush=True)\n    time.sleep(60)\n"
        "build_index(Path(sys.argv[1]), Path(sys.argv[2]), progress=hang)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(corpus), str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "building"
        with pytest.raises(IndexBusy):
            build_index(corpus, db_path)  # a second reindex at the same time is refused
    finally:
        child.kill()
        child.wait()
    assert rows(db_path, "select text from sentences order by id") == before
    assert any("building" in p.name for p in tmp_path.iterdir())
    assert build_index(corpus, db_path).added == 1
    assert not any("building" in p.name for p in tmp_path.iterdir())


def test_a_store_keeps_one_weights_file_the_one_it_names(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    first = mapped_files(tmp_path)
    write_corpus(corpus, {"d.txt": "新文章\n新内容。\n"})
    build_index(corpus, db_path)
    second = mapped_files(tmp_path)
    db = open_store(db_path)
    named = read_meta(db)["mapped"]["file"]
    db.close()
    assert len(first) == 1 and second == [named] and first != second


def test_readers_see_the_old_store_until_the_swap(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    reader = open_store(db_path)
    (corpus / "b.md").unlink()
    build_index(corpus, db_path)
    # A reader opened before the swap keeps a whole, consistent old index.
    assert reader.execute("select count(*) from documents").fetchone() == (3,)
    assert rows(db_path, "select count(*) from documents") == [(2,)]


def test_other_tokenizer_settings_or_schema_trigger_a_rebuild(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    assert build_index(corpus, db_path, mode="default").rebuilt
    db = sqlite_utils.Database(db_path)
    write_meta(db, {"schema_version": 0})
    db.close()
    summary = build_index(corpus, db_path, mode="default")
    assert summary.rebuilt and summary.added == 3
    assert read_meta(open_store(db_path))["schema_version"] > 0


def test_a_store_read_with_other_figure_rules_is_rebuilt_whole(corpus, tmp_path):
    # Files left alone by an incremental build would keep the figures the old rules read.
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    db = sqlite_utils.Database(db_path)
    write_meta(db, {"figure_rules": "rules of an older release"})
    db.close()
    with pytest.raises(StoreOutdated, match="figure rules"):
        check_store(read_meta(open_store(db_path)))
    summary = build_index(corpus, db_path)
    assert summary.rebuilt and summary.added == 3
    check_store(read_meta(open_store(db_path)))


def test_full_rebuild(corpus, tmp_path):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    summary = build_index(corpus, db_path, full=True)
    assert summary.rebuilt and summary.added == 3 and summary.documents == 3


def test_parallel_workers_give_the_same_store(corpus, tmp_path, monkeypatch):
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    build_index(corpus, serial, workers=1)
    monkeypatch.setattr("index.build.PARALLEL_BYTES", 0)
    build_index(corpus, parallel, workers=2)
    query = "select text, tokens from sentences order by id"
    assert rows(serial, query) == rows(parallel, query)


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        build_index(tmp_path / "nowhere", tmp_path / "wenda.db")


def _children(pid: int) -> list[int]:
    """Live child processes of `pid`, read from /proc (zombies count as gone)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _big_corpus(folder: Path) -> None:
    """Enough made-up text for a parallel build of several seconds."""
    sentence = "星河公司第{}季度营收同比增长{}%至{}亿元，门店总数突破{}家。\n"
    for number in range(4):
        lines = [sentence.format(i % 4 + 1, i % 97, i % 1000, i) for i in range(25_000)]
        (folder / f"big{number}.txt").write_text("大文章\n" + "".join(lines), encoding="utf-8")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["term", "kill"])
def test_stopped_index_command_leaves_no_processes_and_the_old_store(corpus, tmp_path, signum):
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    before = rows(db_path, "select text from sentences order by id")
    _big_corpus(corpus)
    repo = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "wenda", "index", "--corpus", str(corpus)]
    command += ["--db", str(db_path)]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=repo, env=env, stderr=subprocess.PIPE, text=True)
    try:
        # A progress line comes within a second or so, before the workers are up.
        assert "indexed 0/" in child.stderr.readline()
        assert time.monotonic() - started < 5  # interpreter and imports included
        while len(_children(child.pid)) < 2 and time.monotonic() - started < 30:
            time.sleep(0.1)
        time.sleep(1)  # the workers are reading files now
        descendants = _children(child.pid)
        descendants += [grandchild for pid in descendants for grandchild in _children(pid)]
        assert len(descendants) >= 2 and child.poll() is None
        os.kill(child.pid, signum)
        child.wait(timeout=3)
        deadline = time.monotonic() + 3
        while any(map(_alive, descendants)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in descendants if _alive(pid)] == []
    finally:
        child.kill()
        child.wait()
    assert rows(db_path, "select text from sentences order by id") == before
    if signum == signal.SIGTERM:  # cancelled like Ctrl-C: nothing half-built left behind
        assert child.returncode == 130
        assert not any("building" in p.name for p in tmp_path.iterdir())


def test_bad_lines_are_warned_about_by_line_and_the_rest_indexed(corpus, tmp_path, monkeypatch):
    good = '{"title": "好文章", "text": "好的正文。"}'
    write_corpus(corpus, {"news.jsonl": f'{good}\n{{"title": "坏\n{good}\n'})
    monkeypatch.setattr("index.build.PARALLEL_BYTES", 0)  # the warnings come back from workers
    summary = build_index(corpus, tmp_path / "wenda.db", workers=2)
    assert summary.skipped == ()
    assert [w.split(": ")[0] for w in summary.warnings] == ["news.jsonl:2"]
    texts = rows(tmp_path / "wenda.db", "select text from sentences where text = '好的正文。'")
    assert len(texts) == 2


def test_a_file_that_turns_to_noise_part_way_is_skipped_whole(corpus, tmp_path):
    text = ("标题\n" + "今年的营收继续增长，用户数量也在上升。" * 10 + "\n") * 300
    noise = bytes(random.Random(1).randint(0x81, 0xFE) for _ in range(300_000))
    write_corpus(corpus, {"mixed.txt": text.encode("gbk") + noise})
    db_path = tmp_path / "wenda.db"
    summary = build_index(corpus, db_path)
    assert [(s.path, "not text" in s.reason) for s in summary.skipped] == [("mixed.txt", True)]
    assert summary.documents == 3
    orphans = "select count(*) from passages where document_id not in (select id from documents)"
    assert rows(db_path, orphans) == [(0,)]


def test_a_file_name_with_an_undecodable_byte_is_indexed(corpus, tmp_path):
    (corpus / os.fsdecode(b"\xffname.txt")).write_text("标题\n正文。\n", encoding="utf-8")
    summary = build_index(corpus, tmp_path / "wenda.db")
    assert summary.documents == 4 and summary.skipped == ()
    assert ("\ufffdname.txt",) in rows(tmp_path / "wenda.db", "select path from documents")


def test_large_files_streamed_by_the_builder_give_the_same_store(corpus, tmp_path, monkeypatch):
    serial, mixed = tmp_path / "serial.db", tmp_path / "mixed.db"
    build_index(corpus, serial, workers=1)
    monkeypatch.setattr("index.build.PARALLEL_BYTES", 0)
    monkeypatch.setattr("index.build.STREAM_BYTES", 100)  # a.txt is streamed, the rest not
    monkeypatch.setattr("index.build.INSERT_BATCH_ROWS", 1)
    build_index(corpus, mixed, workers=2)
    query = "select d.path, d.title, d.articles, s.text, s.tokens from sentences s "
    query += "join documents d on d.id = s.document_id order by s.id"
    assert rows(serial, query) == rows(mixed, query)
