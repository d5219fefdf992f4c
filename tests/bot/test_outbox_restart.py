"""An answer lost to the network is owned up to even when the bot restarts in between."""

from __future__ import annotations

import time

import pytest
from emulator import ApiError
from harness import new_private_chat, new_user, start_bot

from bot import texts
from index.store import open_journal, read_unsent_chats

REVENUE_QUESTION = "云帆科技第三季度总营收是多少？"
REVENUE = "126亿元"


def owed_chats(path) -> list[str]:
    journal = open_journal(path)
    try:
        return read_unsent_chats(journal)
    finally:
        journal.close()


def test_the_note_about_a_lost_answer_survives_a_restart(
    emulator, sample_store, tmp_path, redacted_logs
):
    journal = tmp_path / "journal.db"
    person = new_user()
    chat = new_private_chat(person)
    bot = start_bot(emulator, sample_store, journal_path=journal)
    try:
        bot.application.bot.rate_limiter.backoff = (0.1, 0.1)  # give up fast
        emulator.fail_for("sendMessage", 60, ApiError("Bad Gateway", code=502), chat_id=chat["id"])
        emulator.send_text(chat, person, REVENUE_QUESTION)
        deadline = time.monotonic() + 15
        while str(chat["id"]) not in owed_chats(journal):
            assert time.monotonic() < deadline, "the bot never gave up on the answer"
            time.sleep(0.05)
    finally:
        bot.stop()
    emulator.end_outages()

    bot = start_bot(emulator, sample_store, journal_path=journal)
    try:
        since = emulator.mark()
        emulator.send_text(chat, person, REVENUE_QUESTION)
        note, answer = emulator.wait_for("sendMessage", since=since, chat_id=chat["id"], count=2)
        again = emulator.mark()
        emulator.send_text(chat, person, REVENUE_QUESTION)
        later = emulator.wait_reply({"chat": chat}, since=again)
    finally:
        bot.stop()
    assert note.text == texts.UNSENT_REPLY
    assert REVENUE in answer.text
    assert REVENUE in later.text  # said once, then forgotten
    assert owed_chats(journal) == []


pytestmark = pytest.mark.filterwarnings("ignore:Deprecated since version v22.2")
