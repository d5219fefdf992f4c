"""Whether a message asks the bot something, and what it asks.

Pure functions over the message text, so the rules for groups (answer only
when addressed) can be tested without Telegram.
"""

from __future__ import annotations

import re

ASK_COMMAND = "ask"
_NAME_CHARS = "A-Za-z0-9_"
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?![A-Za-z0-9_@])")


def command_argument(text: str, command: str, bot_username: str) -> str | None:
    """The text after `/command` or `/command@bot_username`; None for another command or bot."""
    match = _COMMAND.match(text)
    if match is None or match[1].lower() != command.lower():
        return None
    if match[2] is not None and match[2].lower() != bot_username.lower():
        return None
    return text[match.end() :].strip()


def strip_mention(text: str, bot_username: str) -> str | None:
    """`text` without its @bot_username mentions; None when the bot is not mentioned."""
    mention = re.compile(
        rf"(?<![{_NAME_CHARS}])@{re.escape(bot_username)}(?![{_NAME_CHARS}])", re.IGNORECASE
    )
    if not mention.search(text):
        return None
    return re.sub(r"\s+", " ", mention.sub(" ", text)).strip(" ,，:：")


def extract_question(
    text: str, *, bot_username: str, private: bool, replies_to_bot: bool
) -> str | None:
    """The question a message asks the bot, "" for an empty /ask, None when not addressed.

    In a private chat every text is a question. In a group the bot is addressed
    by /ask (or /ask@bot_username), by a mention, or by a reply to its message.
    """
    if _COMMAND.match(text):
        return command_argument(text, ASK_COMMAND, bot_username)
    if private:
        return text.strip()
    mentioned = strip_mention(text, bot_username)
    if mentioned is not None:
        return mentioned
    return text.strip() if replies_to_bot else None


GREETING = "greeting"
THANKS = "thanks"
LAUGHTER = "laughter"
# Whole messages that are small talk, not questions (after lower-casing and dropping
# spaces and punctuation); replies are in `texts.SMALL_TALK`.
_SMALL_TALK = {
    GREETING: r"(你好|您好|大家好|哈喽|嗨|hi|hello|hey|早上好|早安|晚上好|在吗)[呀啊哇~]*",
    THANKS: r"(谢谢|多谢|感谢|谢了|谢啦|thanks|thankyou|thx|ty)(你|您|啦|了|哈)*",
    LAUGHTER: r"(哈|呵|嘿|嘻|h)\1+|lol|[😂🤣😄😆😁😊👍🙏👌❤️]+",
}
_SMALL_TALK_PATTERNS = {kind: re.compile(pattern) for kind, pattern in _SMALL_TALK.items()}
_FILLER = re.compile(r"[\s!！。.,，~～?？、…]+")


def small_talk(text: str) -> str | None:
    """GREETING, THANKS or LAUGHTER when the whole message is one, else None."""
    bare = _FILLER.sub("", text.lower())
    for kind, pattern in _SMALL_TALK_PATTERNS.items():
        if bare and pattern.fullmatch(bare):
            return kind
    return None
