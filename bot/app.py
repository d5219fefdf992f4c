"""All the bot's wiring in one place: `build_application` adds every handler."""

from __future__ import annotations

import asyncio
import logging

from telegram import LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import handlers
from bot.edge import EdgeRequest
from bot.inline import inline_query
from bot.journal import Journal
from bot.outbox import ChatQueues
from bot.profile import register_profile
from bot.state import STATE_KEY, BotState, get_state
from bot.unanswered import unanswered_command
from bot.upload import document_message, file_base_url
from retrieval import Retriever
from settings import Settings

logger = logging.getLogger(__name__)

# Edited messages, channel posts and the rest are not asked for, and filtered out anyway.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
CONCURRENT_UPDATES = 32
# python-telegram-bot's defaults for the two HTTP clients.
CONNECTION_POOL_SIZE = 256


class _FromPerson(filters.MessageFilter):
    """Messages written by a person: not by a bot, not auto-forwarded from a channel."""

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and not user.is_bot and not message.is_automatic_forward


class WendaApplication(Application):
    """PTB's Application, which on stop first drops what would hold the stop up.

    `Application.stop` waits for every update being handled and every task from
    `create_task`: an answer pausing 30 s for a 429, or a reindex, would keep the
    bot from stopping for as long. Pauses end, and a running reindex is abandoned
    (the old index keeps serving until the process ends).
    """

    async def stop(self) -> None:
        limiter = self.bot.rate_limiter
        if isinstance(limiter, ChatQueues):
            limiter.stop_waiting()
        reindex = get_state(self).reindex_task
        if reindex is not None and not reindex.done():
            reindex.cancel()
        await super().stop()


def serving_mode(settings: Settings) -> str:
    return "webhook" if settings.webhook_url else "polling"


async def announce_start(application: Application) -> None:
    """Set descriptions and command menus (failures are not fatal); log what serves."""
    state = get_state(application)
    bot = application.bot
    await asyncio.to_thread(state.retriever.warm_up)
    await register_profile(bot, state.settings.admin_ids)
    stats = state.retriever.stats
    logger.info(
        "Wenda bot @%s serving %d documents, %d passages from %s (%s mode)",
        bot.username,
        stats.documents,
        stats.passages,
        state.settings.db_path,
        serving_mode(state.settings),
    )


async def close_retriever(application: Application) -> None:
    """Release the store and the journal when the bot stops."""
    state = get_state(application)
    state.retriever.close()
    state.journal.close()


def build_application(settings: Settings, retriever: Retriever) -> Application:
    """The bot for `settings`, answering from `retriever`, with every handler added."""
    journal = Journal(settings.journal_file)
    application = (
        Application.builder()
        .application_class(WendaApplication)
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(file_base_url(settings.telegram_base_url))
        .request(EdgeRequest(connection_pool_size=CONNECTION_POOL_SIZE))
        .get_updates_request(EdgeRequest(updates=True))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .rate_limiter(ChatQueues(journal=journal))
        # Chats do not wait for each other: answers run in threads, the loop keeps polling.
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(announce_start)
        .post_shutdown(close_retriever)
        .build()
    )
    application.bot_data[STATE_KEY] = BotState(
        retriever=retriever, settings=settings, journal=journal
    )

    new = filters.UpdateType.MESSAGE & _FromPerson()
    private = new & filters.ChatType.PRIVATE
    commands = {
        "start": handlers.start_command,
        "help": handlers.help_command,
        "ask": handlers.ask_command,
        "stats": handlers.stats_command,
        "reindex": handlers.reindex_command,
        "unanswered": unanswered_command,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=new))
    application.add_handler(
        MessageHandler(new & filters.TEXT & ~filters.COMMAND, handlers.text_message)
    )
    application.add_handler(MessageHandler(private & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(private & filters.Document.ALL, document_message))
    application.add_handler(MessageHandler(private & ~filters.TEXT, handlers.non_text_message))
    application.add_handler(CallbackQueryHandler(handlers.button_pressed))
    application.add_handler(InlineQueryHandler(inline_query))
    application.add_error_handler(handlers.error_handler)
    return application
