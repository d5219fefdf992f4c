"""One small async function per command or kind of update; `bot.app` wires them."""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, ReplyParameters, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.addressing import (
    ASK_COMMAND,
    command_argument,
    extract_question,
    small_talk,
)
from bot.admins import admit_admin
from bot.buttons import PagePress, PassagePress, answer_keyboard, decode_button
from bot.context import gather_context, sentence_at
from bot.flood import Verdict
from bot.followup import answered_question
from bot.outbox import is_unsent
from bot.reindex import begin_reindex
from bot.render import (
    format_answer,
    format_context,
    format_stats,
    format_welcome,
    split_pages,
)
from bot.state import get_state
from bot.unanswered import note_unanswered
from retrieval import MAX_QUESTION_CHARS, Answer, EmptyQuestion, Retriever
from retrieval.followup import carried_subject, join_subject

logger = logging.getLogger(__name__)

EXAMPLE_QUESTIONS = 3


def _reply_to_answer(
    answer: Answer, number: int = 0, subject: str = ""
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The message text and buttons for page `number` (from 0) of `answer`; None past the end.
    `subject` is what the question carried over from the one it follows up."""
    note = texts.QUESTION_CUT.format(limit=MAX_QUESTION_CHARS) if answer.truncated else ""
    pages = split_pages(answer)
    if not pages:
        return (format_answer(answer, note=note), None) if number == 0 else None
    if number >= len(pages):
        return None
    page = pages[number]
    text = format_answer(answer, page, note=note, number=number + 1, pages=len(pages))
    return text, answer_keyboard(answer.hits[page.hits[0]], number, len(pages), subject)


def _ask_with_subject(retriever: Retriever, question: str, previous: str) -> tuple[Answer, str]:
    """The answer to `question` read after `previous`, and the subject carried over from it."""
    subject = carried_subject(previous, question, retriever.synonyms, retriever.segmenter)
    return retriever.answer(join_subject(subject, question)), subject


async def _ask_again(
    update: Update, context: ContextTypes.DEFAULT_TYPE, press: PagePress
) -> tuple[Answer, str] | None:
    """The question the pressed answer replied to, asked again with the subject it carried;
    None when that message is gone."""
    message = update.callback_query.message
    asked = getattr(message, "reply_to_message", None)
    if asked is None or not asked.text:
        return None
    question = extract_question(
        asked.text, bot_username=context.bot.username, private=False, replies_to_bot=True
    )
    if not question:
        return None
    try:
        answer = await asyncio.to_thread(
            get_state(context).retriever.answer, join_subject(press.subject, question)
        )
    except EmptyQuestion:
        return None
    return answer, press.subject


def _in_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, previous: str = ""
) -> None:
    """Answer `question` (read after `previous`, the question of the answer it replies to)
    in reply to the asker, unless they are asking too fast.

    Small talk (你好, 谢谢, 哈哈...) gets a short friendly line in private chats and
    nothing in groups, never the not-found text. The answer quotes the question in
    every chat: its buttons ask it again from there, after a restart too.
    """
    state = get_state(context)
    message = update.effective_message
    chatting = small_talk(question)
    if chatting is not None and not _in_private(update):
        return
    verdict = state.flood.check(update.effective_user.id)
    if verdict is Verdict.DROP:
        return
    if verdict is Verdict.WARN:
        logger.info("user %s is asking too fast; pausing them", update.effective_user.id)
        seconds = math.ceil(state.flood.wait_left(update.effective_user.id))
        await message.reply_text(texts.SLOW_DOWN.format(seconds=seconds))
        return
    if chatting is not None:
        await message.reply_text(texts.SMALL_TALK[chatting])
        return
    try:
        # Ranking is CPU work: off the event loop, which keeps polling and a reindex going.
        answer, subject = await asyncio.to_thread(
            _ask_with_subject, state.retriever, question, previous
        )
    except EmptyQuestion:
        await message.reply_text(texts.ASK_USAGE)
        return
    state.answered += 1
    state.not_found += not answer.found
    if not answer.found:
        await note_unanswered(state, question)
    text, markup = _reply_to_answer(answer, subject=subject)
    sent = await message.reply_text(text, reply_markup=markup, do_quote=True)
    state.asked.remember(sent, join_subject(subject, question))


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: greet and show example questions the loaded corpus answers."""
    retriever = get_state(context).retriever
    examples = await asyncio.to_thread(retriever.example_questions, EXAMPLE_QUESTIONS)
    name = update.effective_user.first_name if update.effective_user else ""
    group_bot = "" if _in_private(update) else context.bot.username
    await update.effective_message.reply_text(format_welcome(name, examples, group_bot=group_bot))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how to ask; in a group, how to address the bot there."""
    wording = texts.HELP if _in_private(update) else texts.HELP_GROUP
    await update.effective_message.reply_text(wording.format(bot=context.bot.username))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask 问题 or /ask@BotName 问题, in any chat; alone it gets the usage line."""
    text = update.effective_message.text
    question = command_argument(text, ASK_COMMAND, context.bot.username)
    if not question:
        await update.effective_message.reply_text(texts.ASK_USAGE)
        return
    await answer_question(update, context, question)


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text: a question in a private chat, in a group only when it addresses the bot."""
    message = update.effective_message
    replied = message.reply_to_message
    question = extract_question(
        message.text,
        bot_username=context.bot.username,
        private=message.chat.type == ChatType.PRIVATE,
        replies_to_bot=bool(
            replied and replied.from_user and replied.from_user.id == context.bot.id
        ),
    )
    if question is None:
        return
    if not question:
        await message.reply_text(texts.ASK_USAGE)
        return
    previous = answered_question(replied, context.bot.id, get_state(context).asked)
    await answer_question(update, context, question, previous)


async def non_text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, photo, voice note... in a private chat: say the bot answers text."""
    await update.effective_message.reply_text(texts.TEXT_ONLY)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other command in a private chat: point to /help."""
    await update.effective_message.reply_text(texts.UNKNOWN_COMMAND)


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: the index's size and age, and the questions seen since start."""
    state = get_state(context)
    await update.effective_message.reply_text(
        format_stats(state.retriever.stats, answered=state.answered, not_found=state.not_found,
                     zone=ZoneInfo(state.settings.timezone), now=datetime.now(UTC))
    )


async def reindex_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reindex (or /reindex full): rebuild the index, for admins only, in the background."""
    state = get_state(context)
    message = update.effective_message
    if not await admit_admin(update, state, "/reindex", texts.NOT_ADMIN):
        return
    if state.reindexing:
        await message.reply_text(texts.REINDEX_BUSY)
        return
    full = [arg.lower() for arg in context.args or []] == ["full"]
    logger.info("reindex started by user %s (full=%s)", update.effective_user.id, full)
    begin_reindex(update, context, state, full=full)


async def button_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press of ◀ ▶ (page in place) or 原文 under an answer; stale buttons get a polite toast."""
    query = update.callback_query
    press = decode_button(query.data)
    if isinstance(press, PassagePress):
        await _show_passage(update, context, press)
        return
    asked = await _ask_again(update, context, press) if press else None
    reply = _reply_to_answer(asked[0], press.page, asked[1]) if asked else None
    if reply is None:
        await query.answer(texts.BUTTON_EXPIRED)
        return
    await query.answer()
    text, markup = reply
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message:  # a double press shows the same page
            raise


async def _show_passage(
    update: Update, context: ContextTypes.DEFAULT_TYPE, press: PassagePress
) -> None:
    """原文: the passage the button names, found by its content in the index serving now."""
    retriever = get_state(context).retriever
    query = update.callback_query

    def gather():
        around = gather_context(retriever, retriever.find_passage(press.key))
        return around, sentence_at(around.passage.text, press.position)

    try:
        around, sentence = await asyncio.to_thread(gather)
    except KeyError:  # a reindex dropped or changed the passage
        await query.answer(texts.PASSAGE_GONE)
        return
    await query.answer()
    await context.bot.send_message(
        update.effective_chat.id,
        format_context(around, sentence),
        reply_parameters=ReplyParameters(
            query.message.message_id, allow_sending_without_reply=True
        ),
    )


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any exception from a handler: log it, then tell the asker once."""
    update_id = update.update_id if isinstance(update, Update) else None
    if is_unsent(context.error):
        # The outbox retried it and remembered the chat: its next message says so.
        logger.warning("could not reply to update %s: %s", update_id, context.error)
        return
    logger.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.message is not None:
            await update.message.reply_text(texts.ERROR)
        else:
            await context.bot.send_message(update.effective_chat.id, texts.ERROR)
    except TelegramError as error:
        logger.warning("could not tell the user about the error: %s", error)
