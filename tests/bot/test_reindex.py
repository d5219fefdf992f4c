"""/reindex: admins only, in the background, swapping the new index in whole."""

from __future__ import annotations

import logging
import shutil

from emulator import private_chat, user
from harness import ADMIN_ID, ask_privately, new_user, start_bot

from bot import texts
from index import build_index
from index.store import copy_store
from settings import sample_corpus_dir

NEW_ARTICLE = "熊猫基地迎来新生幼崽\n成都熊猫基地今年共繁育大熊猫幼崽21只，数量创历史新高。\n"


def is_summary(call) -> bool:
    return "索引重建完成" in call.text


def test_a_non_admin_is_refused_and_the_attempt_logged(emulator, running_bot, caplog):
    caplog.set_level(logging.WARNING, logger="bot.handlers")
    person = new_user()
    since = emulator.mark()
    reply = ask_privately(emulator, "/reindex", person)
    assert reply.text == texts.NOT_ADMIN
    assert any(str(person["id"]) in r.getMessage() for r in caplog.records)
    assert len(emulator.find("sendMessage", since=since)) == 1  # no progress message: nothing ran


def test_an_admin_reindex_completes_while_questions_are_answered(emulator, tmp_path, redacted_logs):
    corpus = shutil.copytree(sample_corpus_dir(), tmp_path / "corpus")
    db_path = tmp_path / "wenda.db"
    build_index(corpus, db_path)
    bot = start_bot(emulator, db_path, corpus_dir=corpus)
    try:
        assert texts.NOT_FOUND in ask_privately(emulator, "大熊猫幼崽繁育了多少只？").text
        (corpus / "panda.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        admin, admin_chat = user(ADMIN_ID, "Admin"), private_chat(ADMIN_ID, "Admin")
        # Hold the reindex's closing summary: until it is released the reindex is still running.
        release = emulator.hold("editMessageText", lambda params: "索引重建完成" in params["text"])
        since = emulator.mark()
        emulator.send_text(admin_chat, admin, "/reindex")
        progress = emulator.wait_reply({"chat": admin_chat}, since=since)
        assert progress.text == texts.REINDEX_STARTED

        assert "126亿元" in ask_privately(emulator, "云帆科技第三季度总营收是多少？").text
        again = emulator.mark()
        emulator.send_text(admin_chat, admin, "/reindex")
        assert emulator.wait_reply({"chat": admin_chat}, since=again).text == texts.REINDEX_BUSY

        release.set()
        summary = emulator.wait_for("editMessageText", since=since, match=is_summary)[0]
        documents = len(list(sample_corpus_dir().iterdir())) + 1
        assert "新增 1" in summary.text and f"{documents} 篇文档" in summary.text
        assert "21只" in ask_privately(emulator, "大熊猫幼崽繁育了多少只？").text
    finally:
        bot.stop()


def test_a_failing_reindex_is_reported_and_the_old_index_keeps_serving(
    emulator, sample_store, tmp_path, redacted_logs, caplog
):
    db_path = tmp_path / "wenda.db"
    copy_store(sample_store, db_path)
    bot = start_bot(emulator, db_path, corpus_dir=tmp_path / "no-such-corpus")
    try:
        admin, admin_chat = user(ADMIN_ID, "Admin"), private_chat(ADMIN_ID, "Admin")
        since = emulator.mark()
        emulator.send_text(admin_chat, admin, "/reindex")
        failed = emulator.wait_for(
            "editMessageText", since=since, match=lambda call: "重建索引失败" in call.text
        )[0]
        assert "仍在使用原来的索引" in failed.text
        assert any(r.name == "bot.reindex" and r.exc_info for r in caplog.records)
        assert "126亿元" in ask_privately(emulator, "云帆科技第三季度总营收是多少？").text
    finally:
        bot.stop()
