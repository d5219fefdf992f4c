"""Articles sent as files: an admin's document, in a private chat, joins the corpus.

The file is checked before anything is saved: a safe name (the last part of
the name only, no control or direction characters, no leading dot, at most
`MAX_NAME_BYTES`), an article format, at most `MAX_UPLOAD_BYTES` (also what
the Bot API lets a bot download). It is downloaded to a hidden file in the
corpus folder (which `wenda index` skips), read with the same rules as
`wenda index` (`index.read`), and only when readable moved into place with one
rename, replacing a same-named file whole. Then the incremental reindex runs,
its progress and summary under the line saying what was saved.

A document from anyone else is refused before it is downloaded; in groups
documents are not handled at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath

from telegram import Bot, Document, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.admins import admit_admin
from bot.reindex import begin_reindex
from bot.render import escape
from bot.state import get_state
from index.normalise import replace_surrogates
from index.read import ARTICLE_SUFFIXES, CONFIG_FILES, UnreadableFile, read_paragraphs

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_NAME_BYTES = 200  # of UTF-8; file systems allow 255
STAGING_PREFIX = ".upload-"
# Control, format (U+202E and other direction marks), separators, private use, unassigned.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def file_base_url(base_url: str) -> str:
    """Where the Bot API at `base_url` serves files: Telegram and self-hosted servers
    both under /file/bot<token>/ beside /bot<token>/."""
    root, found, rest = base_url.rpartition("/bot")
    return f"{root}/file/bot{rest}" if found else f"{base_url.rstrip('/')}/file/bot"


def clean_file_name(name: str) -> str:
    """`name` as one safe file name in the corpus folder ("" when nothing usable is left).

    Only its last path part is kept; characters that hide or reorder text are
    dropped, whitespace runs become one space, leading and trailing dots go, and
    a long name is cut (by UTF-8 bytes, keeping its suffix).
    """
    last = replace_surrogates(name).replace("\\", "/").rsplit("/", 1)[-1]
    spaced = " ".join(last.split())
    kept = "".join(c for c in spaced if unicodedata.category(c) not in _UNSAFE_CATEGORIES)
    kept = kept.strip(". ")
    suffix = PurePosixPath(kept).suffix
    stem = kept[: len(kept) - len(suffix)] if suffix else kept
    budget = MAX_NAME_BYTES - len(suffix.encode())
    if budget <= 0:
        return ""
    stem = stem.encode()[:budget].decode("utf-8", "ignore").rstrip(". ")
    return f"{stem}{suffix}" if stem else ""


def refuse_name(name: str) -> str | None:
    """Why a cleaned name cannot be saved (the reply), or None when it can."""
    if not name:
        return texts.UPLOAD_NO_NAME
    if PurePosixPath(name).suffix.lower() not in ARTICLE_SUFFIXES:
        return texts.UPLOAD_BAD_TYPE.format(name=escape(name))
    if name in CONFIG_FILES:
        return texts.UPLOAD_RESERVED.format(name=escape(name))
    return None


def too_big(size: int) -> str:
    return texts.UPLOAD_TOO_BIG.format(size=size / 2**20, limit=MAX_UPLOAD_BYTES // 2**20)


def check_article(path: Path, name: str) -> str | None:
    """Why the downloaded file cannot join the corpus (the reply), or None when it can.

    It is read as `wenda index` would read it, warnings about single bad lines
    or records logged as in a reindex.
    """
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        return too_big(size)
    try:
        paragraphs = sum(1 for _ in read_paragraphs(path, name=name))
    except UnreadableFile as error:
        return texts.UPLOAD_UNREADABLE.format(name=escape(name), reason=escape(str(error)))
    if not paragraphs:
        return texts.UPLOAD_EMPTY.format(name=escape(name))
    return None


async def download_to_corpus(bot: Bot, document: Document, corpus_dir: Path, suffix: str) -> Path:
    """The document, downloaded to a hidden file in `corpus_dir` (the caller removes it)."""
    handle, staged = tempfile.mkstemp(dir=corpus_dir, prefix=STAGING_PREFIX, suffix=suffix)
    os.close(handle)
    path = Path(staged)
    try:
        file = await bot.get_file(document.file_id)
        await file.download_to_drive(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def move_into_corpus(staged: Path, target: Path) -> str | None:
    """Put the checked file in place with one rename; why not (the reply), or None."""
    try:
        os.replace(staged, target)
    except OSError as error:
        logger.warning("could not save the uploaded file %s: %s", target, error)
        reason = escape(error.strerror or str(error))
        return texts.UPLOAD_SAVE_FAILED.format(name=escape(target.name), reason=reason)
    return None


async def document_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file in a private chat: from an admin, an article for the corpus; else refused."""
    state = get_state(context)
    message = update.effective_message
    document = message.document
    if not await admit_admin(update, state, "a file", texts.UPLOAD_NOT_ADMIN):
        return
    user_id = update.effective_user.id
    name = clean_file_name(document.file_name or "")
    busy = texts.UPLOAD_BUSY.format(name=escape(name))
    refusal = refuse_name(name)
    if refusal is None and (document.file_size or 0) > MAX_UPLOAD_BYTES:
        refusal = too_big(document.file_size)
    if refusal is None and state.reindexing:
        refusal = busy
    if refusal is not None:
        await message.reply_text(refusal)
        return
    corpus_dir = state.settings.corpus_dir
    suffix = PurePosixPath(name).suffix
    try:
        staged = await download_to_corpus(context.bot, document, corpus_dir, suffix)
    except (TelegramError, OSError) as error:
        logger.warning("could not download the file %s from user %s: %s", name, user_id, error)
        await message.reply_text(texts.UPLOAD_DOWNLOAD_FAILED.format(name=escape(name)))
        return
    target = corpus_dir / name
    replaced = False
    try:
        refusal = await asyncio.to_thread(check_article, staged, name)
        if refusal is None and state.reindexing:  # one started while the file was read
            refusal = busy
        if refusal is None:  # from the check to the reindex's start, nothing else runs
            replaced = target.exists()
            refusal = move_into_corpus(staged, target)
    finally:
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)  # a refused file is gone before the reply
    if refusal is not None:
        await message.reply_text(refusal)
        return
    logger.info("user %s saved %s into the corpus; reindexing", user_id, name)
    saved = texts.UPLOAD_REPLACED if replaced else texts.UPLOAD_SAVED
    begin_reindex(update, context, state, full=False, heading=saved.format(name=escape(name)))
