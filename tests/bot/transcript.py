"""Print a transcript of the real bot talking through the emulator: a private chat, a group.

Run: python tests/bot/transcript.py
It indexes the shipped sample corpus into a temporary folder; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import html
import re
import tempfile
import time
from pathlib import Path

from emulator import BotApiEmulator, Call, group_chat, private_chat, user
from harness import ADMIN_ID, BOT_NAME, TOKEN, start_bot

from bot import texts
from bot.logging_setup import install_redaction, secrets_of
from index import build_index
from settings import sample_corpus_dir


class Transcript:
    """Says things as users and prints each message with the bot's reply (or none)."""

    def __init__(self, emulator: BotApiEmulator):
        self.emulator = emulator
        self.silent: list[int] = []  # marks of messages the bot should ignore

    def print_reply(self, call: Call) -> None:
        """The message as Telegram shows it, with bold marked **like this**."""
        shown = html.unescape(re.sub(r"</?b>", "**", re.sub(r"<(?!/?b>)[^>]+>", "", call.text)))
        for line in shown.splitlines():
            print(f"    {line}")
        if call.buttons:
            print(f"    [{' | '.join(call.buttons)}]")

    def _settle(self, since: int) -> Call:
        reply = self.emulator.wait_for("sendMessage", since=since)[0]
        later = len(self.emulator.find("sendMessage", since=since))
        for mark in self.silent:
            # Updates are handled in order: by now the ignored ones have been seen.
            if len(self.emulator.find("sendMessage", since=mark)) != later:
                raise AssertionError("the bot answered a message it should have ignored")
        self.silent.clear()
        return reply

    def say(
        self,
        chat: dict,
        person: dict,
        text: str,
        *,
        reply_to: dict | None = None,
        ignored: bool = False,
    ) -> Call | None:
        where = "private" if chat["type"] == "private" else "group"
        quoted = " (replying to the bot)" if reply_to else ""
        shown = text if len(text) <= 80 else text[:80] + f"… ({len(text)} characters)"
        print(f"[{where}] {person['first_name']}{quoted}: {shown}")
        since = self.emulator.mark()
        self.emulator.send_text(chat, person, text, reply_to=reply_to)
        if ignored:
            self.silent.append(since)
            print("  bot: (no reply)")
            return None
        reply = self._settle(since)
        print("  bot:")
        self.print_reply(reply)
        return reply

    def sticker(self, chat: dict, person: dict, *, ignored: bool = False) -> None:
        print(
            f"[{'private' if chat['type'] == 'private' else 'group'}] "
            f"{person['first_name']}: (sticker)"
        )
        since = self.emulator.mark()
        self.emulator.send_sticker(chat, person)
        if ignored:
            self.silent.append(since)
            print("  bot: (no reply)")
            return
        print("  bot:")
        self.print_reply(self._settle(since))

    def press(self, reply: Call, label: str, person: dict) -> Call | None:
        print(f"  {person['first_name']} presses 「{label}」")
        since = self.emulator.mark()
        self.emulator.press(reply.result, reply.buttons[label], person)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if edits := self.emulator.find("editMessageText", since=since):
                print("  bot (edits the answer):")
                self.print_reply(edits[0])
                return edits[0]
            if sent := self.emulator.find("sendMessage", since=since):
                print("  bot:")
                self.print_reply(sent[0])
                return None
            time.sleep(0.05)
        raise TimeoutError(f"no reply to the press of {label}")


def run_transcript(emulator: BotApiEmulator, db_path: Path) -> None:
    bot = start_bot(emulator, db_path)
    talk = Transcript(emulator)
    try:
        alice = user(101, "Alice")
        dm = private_chat(101, "Alice")
        print("=== Private chat ===")
        talk.say(dm, alice, "/start")
        answer = talk.say(dm, alice, "云帆科技第三季度总营收是多少？")
        talk.press(answer, texts.BUTTON_PASSAGE, alice)
        answer = talk.say(dm, alice, "蓝鲸汽车10月交付了多少辆新车？")
        page = answer
        while page is not None and texts.BUTTON_NEXT in page.buttons:
            page = talk.press(page, texts.BUTTON_NEXT, alice)
        talk.say(dm, alice, "火星上有多少家咖啡店？")
        talk.say(dm, alice, "/ask")
        talk.say(dm, alice, "星河咖啡" * 200)
        talk.sticker(dm, alice)
        talk.say(dm, alice, "/stats")

        print("\n=== Group chat ===")
        group = group_chat(-1001, "读报小组")
        bob, carol = user(202, "Bob"), user(ADMIN_ID, "Carol")
        talk.say(group, bob, "今天的新闻大家看了吗？", ignored=True)
        talk.sticker(group, bob, ignored=True)
        talk.say(group, bob, f"/ask@{BOT_NAME} 星河咖啡二季度总净收入是多少？")
        reply = talk.say(group, carol, f"@{BOT_NAME} 江城地铁国庆假期日均客流多少？")
        talk.say(group, bob, "单日客流最高是哪天？", reply_to=reply.result)
        talk.say(group, bob, "/reindex")
        talk.say(group, carol, "/reindex")
        summary = emulator.wait_for("editMessageText", match=lambda c: "完成" in c.text)[0]
        print("  bot (edits its progress message):")
        talk.print_reply(summary)
    finally:
        bot.stop()


def main() -> None:
    undo = install_redaction(*secrets_of(TOKEN))
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "wenda.db"
        build_index(sample_corpus_dir(), db_path)
        emulator = BotApiEmulator(TOKEN, username=BOT_NAME).start()
        try:
            run_transcript(emulator, db_path)
        finally:
            emulator.stop()
            undo()


if __name__ == "__main__":
    main()
