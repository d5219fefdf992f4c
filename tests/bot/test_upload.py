"""Articles sent as files: an admin's is saved and answerable; nothing else is saved."""

from __future__ import annotations

import shutil
import time

import pytest
from emulator import private_chat, user
from harness import ADMIN_ID, ask_privately, new_group, new_private_chat, new_user, start_bot

from bot import texts
from bot.state import get_state
from bot.upload import MAX_NAME_BYTES, clean_file_name, file_base_url
from index import build_index
from settings import sample_corpus_dir

PANDA = "熊猫基地迎来新生幼崽\n成都熊猫基地今年共繁育大熊猫幼崽21只，数量创历史新高。\n"
PANDA_QUESTION = "大熊猫幼崽繁育了多少只？"
ADMIN = user(ADMIN_ID, "Admin")
ADMIN_CHAT = private_chat(ADMIN_ID, "Admin")
# Bytes 0x81-0xFE decode as GB18030, but as rare characters: not text.
NOT_TEXT = bytes(range(0x81, 0xFF)) * 40


@pytest.fixture
def corpus(tmp_path):
    folder = shutil.copytree(sample_corpus_dir(), tmp_path / "corpus")
    build_index(folder, tmp_path / "wenda.db")
    return folder


@pytest.fixture
def bot(emulator, corpus, tmp_path, redacted_logs):
    running = start_bot(emulator, tmp_path / "wenda.db", corpus_dir=corpus)
    yield running
    running.stop()


def listing(folder) -> list[str]:
    """Every entry below `folder`, hidden ones too."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def upload(emulator, name: str, data: bytes, sender=ADMIN, chat=ADMIN_CHAT, **fields):
    """Send a file; the bot's first reply."""
    since = emulator.mark()
    emulator.send_document(chat, sender, name, data, **fields)
    return emulator.wait_reply({"chat": chat}, since=since)


def upload_and_reindex(emulator, bot, name: str, data: bytes) -> str:
    """Send a file as the admin; the text of the finished reindex report."""
    since = emulator.mark()
    emulator.send_document(ADMIN_CHAT, ADMIN, name, data)
    done = emulator.wait_for(
        "editMessageText", since=since, match=lambda call: "索引重建完成" in call.text
    )
    deadline = time.monotonic() + 10
    while get_state(bot.application).reindexing:  # the report is sent just before the end
        assert time.monotonic() < deadline, "the reindex did not end"
        time.sleep(0.02)
    return done[0].text


def test_an_admin_file_is_saved_reindexed_answered_and_replaced_by_name(emulator, bot, corpus):
    assert texts.NOT_FOUND in ask_privately(emulator, PANDA_QUESTION).text
    report = upload_and_reindex(emulator, bot, "panda.txt", PANDA.encode())
    assert report.startswith(texts.UPLOAD_SAVED.format(name="panda.txt"))
    assert "新增 1" in report
    assert (corpus / "panda.txt").read_bytes() == PANDA.encode()
    assert emulator.downloads and emulator.find("getFile")
    assert "21只" in ask_privately(emulator, PANDA_QUESTION).text

    report = upload_and_reindex(emulator, bot, "panda.txt", PANDA.replace("21只", "25只").encode())
    assert report.startswith(texts.UPLOAD_REPLACED.format(name="panda.txt"))
    assert "更新 1" in report
    assert "25只" in ask_privately(emulator, PANDA_QUESTION).text
    assert not [p for p in corpus.iterdir() if p.name.startswith(".")]  # nothing left staged


@pytest.mark.usefixtures("bot")
def test_a_file_from_anyone_else_is_refused_before_it_is_downloaded(emulator, corpus):
    before = listing(corpus)
    person = new_user()
    reply = upload(emulator, "panda.txt", PANDA.encode(), person, new_private_chat(person))
    assert reply.text == texts.UPLOAD_NOT_ADMIN
    assert not emulator.find("getFile") and not emulator.downloads
    assert listing(corpus) == before


@pytest.mark.usefixtures("bot")
def test_a_file_in_a_group_is_ignored(emulator, corpus):
    group = new_group()
    since = emulator.mark()
    emulator.send_document(group, ADMIN, "panda.txt", PANDA.encode())
    asked = emulator.send_text(group, ADMIN, "/ask 云帆科技第三季度总营收是多少？")
    reply = emulator.wait_reply(asked, since=since)  # the file came first: it was passed over
    assert "126亿元" in reply.text
    assert len(emulator.find("sendMessage", since=since)) == 1
    assert not emulator.find("getFile") and not (corpus / "panda.txt").exists()


@pytest.mark.usefixtures("bot")
@pytest.mark.parametrize(
    ("name", "data", "wording"),
    [
        ("noise.txt", NOT_TEXT, "无法读取 noise.txt，没有保存：not text"),
        ("empty.md", b"\n\n  \n", texts.UPLOAD_EMPTY.format(name="empty.md")),
        ("photo.jpg", b"\xff\xd8\xff", texts.UPLOAD_BAD_TYPE.format(name="photo.jpg")),
        ("userdict.txt", b"panda 5\n", texts.UPLOAD_RESERVED.format(name="userdict.txt")),
        (".txt", PANDA.encode(), texts.UPLOAD_BAD_TYPE.format(name="txt")),
    ],
    ids=["undecodable", "empty", "not-an-article", "config-file", "hidden"],
)
def test_a_file_that_is_no_article_is_refused_with_the_reason_and_nothing_saved(
    emulator, corpus, name, data, wording
):
    before = listing(corpus)
    reply = upload(emulator, name, data)
    assert reply.text.startswith(wording)
    assert listing(corpus) == before  # no file, no staged leftover
    assert not emulator.find("editMessageText")  # no reindex


@pytest.mark.usefixtures("bot")
def test_a_file_over_the_limit_is_refused_without_downloading(emulator, corpus):
    reply = upload(emulator, "big.txt", PANDA.encode(), file_size=21 * 1024 * 1024)
    assert reply.text == texts.UPLOAD_TOO_BIG.format(size=21.0, limit=20)
    assert not emulator.downloads and not (corpus / "big.txt").exists()


def test_hostile_names_land_inside_the_corpus_with_a_safe_name(emulator, bot, corpus, tmp_path):
    long_name = "长" * 300 + ".txt"
    for name in ("../../x.txt", "evil\u202etxt.md", long_name):
        report = upload_and_reindex(emulator, bot, name, PANDA.encode())
        assert "新增 1" in report
    saved = sorted(p.name for p in corpus.iterdir())
    assert "x.txt" in saved and "eviltxt.md" in saved
    cut = next(name for name in saved if name.startswith("长"))
    assert cut.endswith(".txt") and len(cut.encode()) <= MAX_NAME_BYTES
    assert not (tmp_path / "x.txt").exists() and not (tmp_path.parent / "x.txt").exists()


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("快手财报.txt", "快手财报.txt"),
        ("../../x.txt", "x.txt"),
        ("..\\..\\win.md", "win.md"),
        ("/etc/passwd", "passwd"),
        (".hidden.txt", "hidden.txt"),
        ("..", ""),
        ("a\u202egnp.txt", "agnp.txt"),
        ("tab\tand\nnewline.txt", "tab and newline.txt"),
        ("bad\udcff.txt", "bad\ufffd.txt"),
        ("x.txt. . ", "x.txt"),
        ("", ""),
    ],
)
def test_file_names_are_made_safe(name, cleaned):
    assert clean_file_name(name) == cleaned


def test_a_long_name_is_cut_by_bytes_and_keeps_its_suffix():
    cut = clean_file_name("文" * 300 + ".jsonl")
    assert cut.endswith(".jsonl") and len(cut.encode()) <= MAX_NAME_BYTES
    assert cut.startswith("文" * 60)


@pytest.mark.parametrize(
    ("base", "files"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
        ("http://bots.example/tg/bot{token}", "http://bots.example/tg/file/bot{token}"),
    ],
)
def test_files_are_fetched_from_the_configured_bot_api(base, files):
    assert file_base_url(base) == files
