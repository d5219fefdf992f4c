"""Telegram failing for a while: answers retried, lost ones owned up to, a 429 kept to its chat."""

from __future__ import annotations

import time

import pytest
from emulator import ApiError
from harness import new_private_chat, new_user

from bot import texts

REVENUE_QUESTION = "云帆科技第三季度总营收是多少？"
REVENUE = "126亿元"

pytestmark = [
    pytest.mark.usefixtures("running_bot"),
    # PTB's RetryAfter reads its own deprecated attribute when it is made.
    pytest.mark.filterwarnings("ignore:Deprecated since version v22.2"),
]


def wait_until(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def failed_sends(emulator, chat) -> list:
    return [
        c
        for c in emulator.calls
        if c.method == "sendMessage" and c.error and c.params.get("chat_id") == chat["id"]
    ]


@pytest.mark.parametrize(
    "error",
    [ApiError("Internal Server Error", code=500), None],
    ids=["500s", "dropped connections"],
)
def test_an_answer_gets_through_a_few_seconds_of_outage(emulator, error):
    person = new_user()
    chat = new_private_chat(person)
    emulator.fail_for("sendMessage", 2.0, error)
    since = emulator.mark()
    emulator.send_text(chat, person, REVENUE_QUESTION)
    reply = emulator.wait_reply({"chat": chat}, since=since)
    assert REVENUE in reply.text
    assert len(failed_sends(emulator, chat)) >= 2  # it was retried, not lucky
    assert not emulator.find("sendMessage", since=since, chat_id=chat["id"])[1:]  # no error reply


def test_an_answer_that_could_not_be_sent_is_owned_up_to_at_the_next_contact(emulator, running_bot):
    running_bot.application.bot.rate_limiter.backoff = (0.1, 0.1)  # give up fast
    person, other = new_user(), new_user()
    chat, other_chat = new_private_chat(person), new_private_chat(other)
    emulator.fail_for("sendMessage", 60, ApiError("Bad Gateway", code=502), chat_id=chat["id"])
    emulator.send_text(chat, person, REVENUE_QUESTION)
    wait_until(lambda: len(failed_sends(emulator, chat)) >= 3)  # the try and both retries
    time.sleep(0.3)  # the bot gives up and remembers the chat
    emulator.end_outages()

    since = emulator.mark()
    emulator.send_text(other_chat, other, REVENUE_QUESTION)
    assert REVENUE in emulator.wait_reply({"chat": other_chat}, since=since).text
    emulator.send_text(chat, person, REVENUE_QUESTION)
    note, answer = emulator.wait_for("sendMessage", since=since, chat_id=chat["id"], count=2)
    assert note.text == texts.UNSENT_REPLY
    assert REVENUE in answer.text
    assert len(emulator.find("sendMessage", since=since, chat_id=other_chat["id"])) == 1

    again = emulator.mark()
    emulator.send_text(chat, person, REVENUE_QUESTION)
    assert REVENUE in emulator.wait_reply({"chat": chat}, since=again).text  # said only once


def test_a_429_for_one_chat_does_not_hold_up_another(emulator):
    slow_person, person = new_user(), new_user()
    slow_chat, chat = new_private_chat(slow_person), new_private_chat(person)
    emulator.fail_next(
        "sendMessage",
        ApiError("Too Many Requests: retry after 30", code=429, retry_after=30),
        chat_id=slow_chat["id"],
    )
    since = emulator.mark()
    emulator.send_text(slow_chat, slow_person, REVENUE_QUESTION)
    wait_until(lambda: failed_sends(emulator, slow_chat))
    asked = time.monotonic()
    emulator.send_text(chat, person, REVENUE_QUESTION)
    reply = emulator.wait_reply({"chat": chat}, since=since, timeout=5)
    assert time.monotonic() - asked < 2.0
    assert REVENUE in reply.text
    assert not emulator.find("sendMessage", since=since, chat_id=slow_chat["id"])  # still waiting
