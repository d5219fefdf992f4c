"""Who may run the operators' commands (/reindex, /unanswered, file uploads)."""

from __future__ import annotations

import logging

from telegram import Update

from bot.state import BotState

logger = logging.getLogger(__name__)


async def admit_admin(update: Update, state: BotState, action: str, refusal: str) -> bool:
    """True when the sender is in WENDA_ADMIN_IDS; anyone else gets `refusal`, and the
    attempt at `action` is logged."""
    user_id = update.effective_user.id
    if user_id in state.settings.admin_ids:
        return True
    logger.warning("refused %s from user %s (not in WENDA_ADMIN_IDS)", action, user_id)
    await update.effective_message.reply_text(refusal)
    return False
