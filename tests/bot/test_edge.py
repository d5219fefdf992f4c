"""The edge where Telegram's JSON enters: lone surrogates replaced, unreadable updates emptied."""

from __future__ import annotations

import json

import pytest

from bot.edge import EdgeRequest, keep_readable_updates, replace_lone_surrogates


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("问\ud800答", "问\ufffd答"),
        ("\udfff", "\ufffd"),
        ("😀 fine", "😀 fine"),
        ({"text": ["a\udc00", 1, None]}, {"text": ["a\ufffd", 1, None]}),
        ({"k\ud800": True}, {"k\ufffd": True}),
    ],
)
def test_lone_surrogates_are_replaced(value, cleaned):
    assert replace_lone_surrogates(value) == cleaned


def test_an_unreadable_update_becomes_an_empty_one_with_its_id():
    good = {
        "update_id": 1,
        "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}},
    }
    bad = {"update_id": 2, "message": {"message_id": 2, "date": 0, "chat": "?"}}
    assert keep_readable_updates([good, bad, {"no": "id"}]) == [good, {"update_id": 2}]


def test_the_updates_client_cleans_a_whole_payload():
    payload = json.dumps(
        {"ok": True, "result": [{"update_id": 5, "message": {"chat": 1}}, {"update_id": 6}]}
    ).encode()
    assert EdgeRequest(updates=True).parse_json_payload(payload)["result"] == [
        {"update_id": 5},
        {"update_id": 6},
    ]
    raw = b'{"ok": true, "result": {"text": "\\ud800"}}'
    assert EdgeRequest().parse_json_payload(raw)["result"] == {"text": "\ufffd"}
