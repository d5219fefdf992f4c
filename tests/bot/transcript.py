"""Print a transcript of the real bot talking through the emulator: a private chat, a group.

Run: python tests/bot/transcript.py
It indexes the shipped sample corpus into a temporary folder; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import html
import re
import shutil
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

    def inline(self, person: dict, query: str) -> None:
        """@bot `query` typed in any chat: the results Telegram would list."""
        print(f"  {person['first_name']} (inline): @{BOT_NAME} {query}")
        since = self.emulator.mark()
        self.emulator.send_inline_query(person, query)
        results = self.emulator.wait_for("answerInlineQuery", since=since)[0].params["results"]
        for result in results:
            print(f"    ▸ {result['title']} — {result.get('description', '')}")

    def upload(self, chat: dict, person: dict, name: str, text: str) -> None:
        """A file sent to the bot: its replies, and the progress message once it is done."""
        print(f"  {person['first_name']} (private): [file {name}]")
        since = self.emulator.mark()
        self.emulator.send_document(chat, person, name, text.encode("utf-8"))
        self.print_reply(self._settle(since))
        done = self.emulator.wait_for("editMessageText", since=since,
                                      match=lambda c: "完成" in c.text)[0]
        print("  bot (edits its progress message):")
        self.print_reply(done)

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


def run_transcript(emulator: BotApiEmulator, db_path: Path, corpus: Path) -> None:
    bot = start_bot(emulator, db_path, corpus_dir=corpus)
    talk = Transcript(emulator)
    try:
        alice = user(101, "Alice")
        dm = private_chat(101, "Alice")
        print("=== Private chat ===")
        talk.say(dm, alice, "/start")
        answer = talk.say(dm, alice, "云帆科技第三季度总营收是多少？")
        talk.press(answer, texts.BUTTON_PASSAGE, alice)
        answer = talk.say(dm, alice, "蓝鲸汽车10月交付了多少辆新车？")
        talk.say(dm, alice, "门店有多少家？", reply_to=answer.result)
        page = answer
        while page is not None and texts.BUTTON_NEXT in page.buttons:
            page = talk.press(page, texts.BUTTON_NEXT, alice)
        talk.say(dm, alice, "火星上有多少家咖啡店？")
        talk.say(dm, alice, "/ask")
        talk.say(dm, alice, "星河咖啡" * 200)
        talk.sticker(dm, alice)
        talk.say(dm, alice, "/stats")
        talk.inline(alice, "星河咖啡有多少家门店")
        talk.inline(alice, "")

        print("\n=== The admin's private chat ===")
        carol = user(ADMIN_ID, "Carol")
        admin = private_chat(ADMIN_ID, "Carol")
        mars = "火星咖啡开业\n火星上共有3家咖啡店，均由示例公司经营。\n"
        talk.upload(admin, carol, "mars.txt", mars)
        talk.say(admin, carol, "火星上有多少家咖啡店？")
        talk.say(admin, carol, "/unanswered")

        print("\n=== Group chat ===")
        group = group_chat(-1001, "读报小组")
        bob = user(202, "Bob")
        talk.say(group, bob, "今天的新闻大家看了吗？", ignored=True)
        talk.sticker(group, bob, ignored=True)
        talk.say(group, bob, f"/ask@{BOT_NAME} 星河咖啡二季度总净收入是多少？")
        reply = talk.say(group, carol, f"@{BOT_NAME} 江城地铁国庆假期日均客流多少？")
        talk.say(group, bob, "单日客流最高是哪天？", reply_to=reply.result)
        talk.say(group, bob, "/reindex")
        since = emulator.mark()
        talk.say(group, carol, "/reindex")
        summary = emulator.wait_for("editMessageText", since=since,
                                    match=lambda c: "完成" in c.text)[0]
        print("  bot (edits its progress message):")
        talk.print_reply(summary)
    finally:
        bot.stop()


def main() -> None:
    undo = install_redaction(*secrets_of(TOKEN))
    with tempfile.TemporaryDirectory() as folder:
        # A copy of the sample corpus: the admin's upload lands in it.
        corpus = shutil.copytree(sample_corpus_dir(), Path(folder) / "corpus")
        db_path = Path(folder) / "wenda.db"
        build_index(corpus, db_path)
        emulator = BotApiEmulator(TOKEN, username=BOT_NAME).start()
        try:
            run_transcript(emulator, db_path, corpus)
        finally:
            emulator.stop()
            undo()


if __name__ == "__main__":
    main()
