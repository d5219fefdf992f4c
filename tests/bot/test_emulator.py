"""The emulator's own checks, so "never a broken tag" in the bot's tests means something."""

from __future__ import annotations

import pytest
from emulator import ApiError, check_markup, check_text, decode_params, find_entities, parse_html


@pytest.mark.parametrize(
    ("html", "visible"),
    [
        ("plain 文本", "plain 文本"),
        ("<b>粗</b>体", "粗体"),
        ("<b>a<i>b</i></b>", "ab"),
        ('<a href="https://example.com">链接</a>', "链接"),
        ("1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;x&quot;", '1 < 2 && 3 > 2 "x"'),
        ("&#20013;&#x6587;", "中文"),
        ("a > b", "a > b"),
        ("<code>/ask 问题</code>", "/ask 问题"),
    ],
)
def test_valid_html_is_accepted(html, visible):
    assert parse_html(html) == visible


@pytest.mark.parametrize(
    ("html", "complaint"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo"'),
        ("<br>", 'Unsupported start tag "br"'),
        ("<b>x", "Can't find end tag"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("x</b>", "Unmatched end tag"),
        ("1 < 2", "Unexpected <"),
        ("a & b", "Unescaped &"),
        ("&nbsp;", "Unescaped &"),
    ],
)
def test_broken_html_is_refused_like_telegram(html, complaint):
    with pytest.raises(ApiError) as refused:
        parse_html(html)
    assert refused.value.description.startswith("Bad Request: can't parse entities")
    assert complaint in refused.value.description


def test_text_limits():
    assert check_text("好" * 4096, "HTML") == "好" * 4096
    assert check_text("&amp;" * 4096, "HTML") == "&" * 4096  # the limit counts visible text
    for text, description in [
        ("好" * 4097, "message is too long"),
        ("", "message text is empty"),
        ("<b> </b>", "message text is empty"),
    ]:
        with pytest.raises(ApiError, match=description):
            check_text(text, "HTML")


def test_button_data_over_64_bytes_is_refused():
    check_markup({"inline_keyboard": [[{"text": "更多", "callback_data": "m" * 64}]]})
    with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
        check_markup({"inline_keyboard": [[{"text": "更多", "callback_data": "m" * 65}]]})


def test_incoming_text_gets_command_and_mention_entities():
    entities = find_entities("/ask@WendaTestBot 问 @someone")
    assert [(e["type"], e["offset"], e["length"]) for e in entities] == [
        ("bot_command", 0, 17),
        ("mention", 20, 8),
    ]


def test_parameters_decode_like_python_telegram_bot_sends_them():
    params = decode_params({"chat_id": "-100", "text": "[1]", "reply_markup": '{"a": 1}'})
    assert params == {"chat_id": -100, "text": "[1]", "reply_markup": {"a": 1}}
