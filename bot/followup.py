"""Which question an answer of the bot was for, so that a reply to it can follow up.

Telegram shows the bot only the message a reply replies to, not what that one
replied to: the answer's question is remembered when the answer is sent, and
after a restart the answer itself tells it in part: its words in bold are the
question's words the answer sentence contains (可灵AI in an answer to
可灵AI服务用户有多少), enough to carry the subject over.
"""

from __future__ import annotations

from collections import OrderedDict

from telegram import Message, MessageEntity

RECENT_ANSWERS = 10_000


class RecentQuestions:
    """The questions of the bot's latest answers, by (chat id, answer message id)."""

    def __init__(self, size: int = RECENT_ANSWERS):
        self.size = size
        self._questions: OrderedDict[tuple[int, int], str] = OrderedDict()

    def remember(self, answer: Message, question: str) -> None:
        self._questions[answer.chat_id, answer.message_id] = question
        while len(self._questions) > self.size:
            self._questions.popitem(last=False)

    def recall(self, answer: Message) -> str | None:
        return self._questions.get((answer.chat_id, answer.message_id))


def answered_question(replied: Message | None, bot_id: int, recent: RecentQuestions) -> str:
    """The question the bot's message `replied` answered, as well as it can be told; "" when
    `replied` is not the bot's."""
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return ""
    remembered = recent.recall(replied)
    if remembered is not None:
        return remembered
    bold = replied.parse_entities([MessageEntity.BOLD])
    return " ".join(dict.fromkeys(bold.values()))
