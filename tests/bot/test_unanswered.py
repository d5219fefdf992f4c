"""/unanswered: refused questions counted in the journal file, shown to admins only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from emulator import user
from harness import ADMIN_ID, ask_privately, start_bot

from bot import texts
from bot.journal import Journal
from index.store import open_journal, read_unanswered, write_unanswered

MARS = "火星基地有多少人"
TUNNEL = "海底隧道通车了吗"


def ask_as_admin(emulator, text):
    return ask_privately(emulator, text, user(ADMIN_ID, "Admin"))


def test_admins_see_refused_questions_counted_together_and_kept_across_a_restart(
    emulator, sample_store, tmp_path, redacted_logs
):
    journal = tmp_path / "journal.db"
    bot = start_bot(emulator, sample_store, journal_path=journal)
    try:
        for question in (MARS + "？", MARS + "?", TUNNEL, MARS):
            assert ask_privately(emulator, question).text.startswith(texts.NOT_FOUND[:10])
        assert "126亿元" in ask_privately(emulator, "云帆科技第三季度总营收是多少？").text
        stranger = ask_privately(emulator, "/unanswered")
    finally:
        bot.stop()
    assert stranger.text == texts.UNANSWERED_NOT_ADMIN

    bot = start_bot(emulator, sample_store, journal_path=journal)  # a restart in between
    try:
        listing = ask_as_admin(emulator, "/unanswered").text
    finally:
        bot.stop()
    lines = listing.split("\n")
    first = next(i for i, line in enumerate(lines) if MARS in line)
    second = next(i for i, line in enumerate(lines) if TUNNEL in line)
    assert first < second  # most often asked first
    assert "3 次" in lines[first + 1] and "1 次" in lines[second + 1]
    assert "今天" in lines[first + 1]  # when, in words
    assert "云帆" not in listing  # answered questions are not listed


def test_with_nothing_refused_the_admin_is_told_so(emulator, sample_store, tmp_path, redacted_logs):
    bot = start_bot(emulator, sample_store, journal_path=tmp_path / "journal.db")
    try:
        reply = ask_as_admin(emulator, "/unanswered")
    finally:
        bot.stop()
    assert reply.text == texts.UNANSWERED_NONE.format(days=30)


def test_old_questions_drop_out_of_the_list_and_the_file(tmp_path):
    path = tmp_path / "journal.db"
    journal = Journal(path)
    now = datetime(2025, 3, 2, 10, tzinfo=UTC)
    journal.note_unanswered(TUNNEL, now=now - timedelta(days=40))
    journal.note_unanswered(MARS, now=now)
    assert [item.question for item in journal.most_unanswered(10, now=now)] == [MARS]
    journal.close()
    raw = open_journal(path)
    assert [row[0] for row in read_unanswered(raw, since="", limit=10)] == [MARS]  # gone
    raw.close()


def test_the_table_keeps_only_the_latest_rows(tmp_path):
    raw = open_journal(tmp_path / "journal.db")
    for number in range(10):
        write_unanswered(
            raw, normalised=f"q{number}", question=f"Q{number}",
            asked_at=f"2025-03-02T10:00:{number:02d}+00:00", keep=3, since="",
        )
    rows = read_unanswered(raw, since="", limit=100)
    assert sorted(row[0] for row in rows) == ["Q7", "Q8", "Q9"]
    raw.close()
