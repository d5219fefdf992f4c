"""A small Telegram Bot API server on 127.0.0.1 for the bot's tests.

It speaks the subset Wenda uses over real HTTP, so the real python-telegram-bot
`Application` polls it through `TELEGRAM_BASE_URL`. It refuses what Telegram
refuses (empty or over-long text, HTML Telegram cannot parse, bad button data)
with Telegram's 400 descriptions. It is stricter than Telegram in one place: a
bare `&` is refused, so text the bot forgot to escape is always caught.

Tests inject updates (`send_text`, `send_sticker`, `send_document`, `press`, ...)
and wait for the bot's calls (`wait_for`); every call is kept in `calls`. A
document's bytes are served, after getFile, at /file/bot<token>/<file_path> as
Telegram serves them; each download is kept in `downloads`.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import re
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120
MAX_DOWNLOAD = 20 * 1024 * 1024  # the largest file getFile lets a bot download
TAGS = frozenset(
    [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "pre",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "blockquote",
    ]
)
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
START_TAG = re.compile(r'<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:="[^"<>]*")?)*)\s*>')
END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")
COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
MENTION = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9_]{3,32}")
JSON_PARAMS = frozenset(
    [
        "reply_markup",
        "reply_parameters",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "results",
        "button",
    ]
)
MAX_INLINE_RESULTS = 50
MAX_RESULT_ID = 64
INT_PARAMS = frozenset(["chat_id", "message_id", "offset", "limit", "timeout", "cache_time"])
BOOL_PARAMS = frozenset(["is_personal"])
WAIT = 15.0


class ApiError(Exception):
    """A Bot API error reply; `description` is what Telegram would say."""

    def __init__(self, description: str, code: int = 400, retry_after: int | None = None):
        super().__init__(description)
        self.description = description
        self.code = code
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class Disconnect(Exception):
    """The server drops the connection without answering (a network failure for the bot)."""


def _cant_parse(detail: str) -> ApiError:
    return ApiError(f"Bad Request: can't parse entities: {detail}")


def _decode_entity(name: str) -> str:
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return NAMED_ENTITIES[name]


ENTITY_TYPES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "a": "text_link"}
HREF = re.compile(r'\bhref="([^"]*)"')


def parse_html(text: str) -> str:
    """The visible text of a parse_mode=HTML message; raises `ApiError` as Telegram would."""
    return parse_html_entities(text)[0]


def parse_html_entities(text: str) -> tuple[str, list[dict[str, Any]]]:
    """The visible text of a parse_mode=HTML message and the entities Telegram would attach
    to it (bold, italic, links); raises `ApiError` as Telegram would."""
    out: list[str] = []
    open_tags: list[str] = []
    starts: list[tuple[int, str]] = []  # (UTF-16 offset, href) of each open tag
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(text):
        where = f"at byte offset {len(text[:i].encode())}"
        if text[i] == "<":
            if end := END_TAG.match(text, i):
                name = end[1].lower()
                if not open_tags or open_tags[-1] != name:
                    raise _cant_parse(f'Unmatched end tag {where}, found "</{name}>"')
                open_tags.pop()
                begin, href = starts.pop()
                length = _utf16_len("".join(out)) - begin
                if name in ENTITY_TYPES and length:
                    entity = {"type": ENTITY_TYPES[name], "offset": begin, "length": length}
                    if name == "a":
                        entity["url"] = html.unescape(href)
                    entities.append(entity)
                i = end.end()
            elif start := START_TAG.match(text, i):
                name = start[1].lower()
                if name not in TAGS:
                    raise _cant_parse(f'Unsupported start tag "{name}" {where}')
                open_tags.append(name)
                href = HREF.search(start[2])
                starts.append((_utf16_len("".join(out)), href[1] if href else ""))
                i = start.end()
            else:
                raise _cant_parse(f"Unexpected < {where}")
        elif text[i] == "&":
            entity = ENTITY.match(text, i)
            if entity is None:
                raise _cant_parse(f"Unescaped & {where}")
            out.append(_decode_entity(entity[1]))
            i = entity.end()
        else:
            out.append(text[i])
            i += 1
    if open_tags:
        raise _cant_parse(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out), sorted(entities, key=lambda e: e["offset"])


def check_text(text: Any, parse_mode: str | None) -> str:
    """The visible text Telegram would show, or the `ApiError` it would answer."""
    visible = parse_html(str(text or "")) if parse_mode == "HTML" else str(text or "")
    if not visible.strip():
        raise ApiError("Bad Request: message text is empty")
    if len(visible) > MAX_TEXT:
        raise ApiError("Bad Request: message is too long")
    return visible


def check_markup(markup: dict[str, Any] | None) -> None:
    """Refuse inline keyboards Telegram would refuse."""
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise ApiError("Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise ApiError("Bad Request: BUTTON_DATA_INVALID")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def find_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command and mention entities Telegram attaches to an incoming text."""
    found = [(m, "bot_command") for m in COMMAND.finditer(text)]
    found += [(m, "mention") for m in MENTION.finditer(text)]
    found.sort(key=lambda item: item[0].start())
    return [
        {"type": kind, "offset": _utf16_len(text[: m.start()]), "length": _utf16_len(m[0])}
        for m, kind in found
    ]


@dataclass
class Call:
    """One request the bot made, with what the emulator answered."""

    method: str
    params: dict[str, Any]
    result: Any = None
    error: str | None = None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> dict[str, str]:
        """Button label -> callback data of the inline keyboard sent with this call."""
        markup = self.params.get("reply_markup") or {}
        return {
            b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row
        }


def scope_key(scope: dict[str, Any] | None) -> str:
    """Where a command menu applies: the scope's type, then its chat and user if any
    ("all_private_chats", "chat:42")."""
    scope = scope or {"type": "default"}
    return ":".join([scope["type"], *(str(scope[k]) for k in ("chat_id", "user_id") if k in scope)])


def user(user_id: int, name: str = "Tester", *, is_bot: bool = False) -> dict[str, Any]:
    return {"id": user_id, "is_bot": is_bot, "first_name": name}


def private_chat(user_id: int, name: str = "Tester") -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": name}


def group_chat(chat_id: int, title: str = "Test group") -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": title}


class BotApiEmulator:
    """A Bot API server for one bot; start it, point the bot at `base_url`, stop it."""

    def __init__(self, token: str, *, username: str = "WendaTestBot", bot_id: int = 7000001):
        self.token = token
        self.me = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Wenda",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}  # by `scope_key`
        self.description = self.short_description = ""
        self.webhook: dict[str, Any] = {}
        self._cond = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._callbacks: dict[str, bool] = {}
        self._inline_queries: dict[str, bool] = {}  # id -> answered
        self._failures: list[tuple[str, int | None, ApiError]] = []
        self._outages: list[tuple[str, int | None, float, ApiError | None]] = []
        self._holds: list[tuple[str, Callable[[dict[str, Any]], bool], threading.Event]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._files: dict[str, tuple[str, bytes, int]] = {}  # file_id -> (name, bytes, size)
        self._paths: dict[str, bytes] = {}  # file_path getFile gave -> bytes
        self.downloads: list[str] = []  # file_paths the bot fetched from the file URL
        self._closing = False
        self.revoked = False
        self.offset = 0  # the highest getUpdates offset the bot has asked for: updates confirmed
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.emulator = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The value for TELEGRAM_BASE_URL (the token is appended by the bot)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    def start(self) -> BotApiEmulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        for _, _, event in self._holds:
            event.set()
        self._server.shutdown()
        self._server.server_close()

    # ---- test side: inject updates -------------------------------------------------------

    def _push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update for getUpdates, or POST it to the webhook when one is set (an
        error status raises: Telegram would send the update again); returns its id."""
        with self._cond:
            update = {"update_id": next(self._update_ids), kind: payload}
            webhook = dict(self.webhook)
            if not webhook:
                self._updates.append(update)
                self._cond.notify_all()
                return update["update_id"]
        headers = {"Content-Type": "application/json"}
        if webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
        request = urllib.request.Request(
            webhook["url"], data=json.dumps(update).encode(), headers=headers
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        return update["update_id"]

    def _message(
        self, chat: dict[str, Any], sender: dict[str, Any], **fields: Any
    ) -> dict[str, Any]:
        with self._cond:
            self._chats[chat["id"]] = chat
            message = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": chat,
                "from": sender,
                **fields,
            }
            self._messages[chat["id"], message["message_id"]] = message
        return message

    def send_text(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any],
        text: str,
        *,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A user writes `text` in `chat` (optionally replying to a message); returns it."""
        fields: dict[str, Any] = {"text": text}
        if entities := find_entities(text):
            fields["entities"] = entities
        if reply_to is not None:  # Telegram nests one level only
            fields["reply_to_message"] = {
                k: v for k, v in reply_to.items() if k != "reply_to_message"
            }
        message = self._message(chat, sender, **fields)
        self._push("message", message)
        return message

    def send_unreadable_update(self, chat: dict[str, Any], sender: dict[str, Any]) -> int:
        """A message update python-telegram-bot cannot parse (its `from` is no object); its id."""
        message = self._message(chat, sender, text="?")
        return self._push("message", {**message, "from": 7})

    def send_sticker(self, chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
        sticker = {
            "file_id": "CAACAgIAAxk",
            "file_unique_id": "AgAD",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "😀",
        }
        message = self._message(chat, sender, sticker=sticker)
        self._push("message", message)
        return message

    def send_document(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any],
        file_name: str,
        data: bytes,
        *,
        file_size: int | None = None,
    ) -> dict[str, Any]:
        """A user sends a file (`file_size` may claim another size than `data` has)."""
        number = next(self._file_ids)
        file_id = f"BQACAgIAAxk-{number}"
        size = len(data) if file_size is None else file_size
        with self._cond:
            self._files[file_id] = (file_name, data, size)
        document = {
            "file_id": file_id,
            "file_unique_id": f"AgAD{number}",
            "file_name": file_name,
            "mime_type": "text/plain",
            "file_size": size,
        }
        message = self._message(chat, sender, document=document)
        self._push("message", message)
        return message

    def edit_text(self, message: dict[str, Any], text: str) -> None:
        """The user edits an earlier message (an `edited_message` update)."""
        self._push("edited_message", {**message, "text": text, "edit_date": int(time.time())})

    def post_in_channel(self, chat_id: int, text: str) -> None:
        chat = {"id": chat_id, "type": "channel", "title": "Test channel"}
        self._push(
            "channel_post",
            {
                "message_id": next(self._message_ids),
                "date": 0,
                "chat": chat,
                "sender_chat": chat,
                "text": text,
            },
        )

    def press(self, message: dict[str, Any], data: str, sender: dict[str, Any]) -> str:
        """The user presses an inline button under the bot's `message`; returns the query id."""
        query_id = str(next(self._callback_ids))
        with self._cond:
            self._callbacks[query_id] = False
        self._push(
            "callback_query",
            {
                "id": query_id,
                "from": sender,
                "message": message,
                "chat_instance": str(message["chat"]["id"]),
                "data": data,
            },
        )
        return query_id

    def send_inline_query(self, sender: dict[str, Any], query: str) -> str:
        """The user types "@bot `query`" in some chat; returns the inline query's id."""
        query_id = f"inline{next(self._callback_ids)}"
        with self._cond:
            self._inline_queries[query_id] = False
        self._push(
            "inline_query",
            {"id": query_id, "from": sender, "query": query, "offset": "", "chat_type": "sender"},
        )
        return query_id

    def revoke(self) -> None:
        """The token is revoked: every call gets Telegram's 401 Unauthorized."""
        self.revoked = True

    def fail_next(self, method: str, error: ApiError, *, chat_id: int | None = None) -> None:
        """The next call of `method` (to `chat_id`) gets `error` instead of being carried out."""
        with self._cond:
            self._failures.append((method.lower(), chat_id, error))

    def fail_for(
        self,
        method: str,
        seconds: float,
        error: ApiError | None = None,
        *,
        chat_id: int | None = None,
    ) -> None:
        """For `seconds`, calls of `method` (to `chat_id`) get `error`, or a dropped connection."""
        with self._cond:
            until = time.monotonic() + seconds
            self._outages.append((method.lower(), chat_id, until, error))

    def end_outages(self) -> None:
        with self._cond:
            self._outages.clear()

    def hold(self, method: str, match: Callable[[dict[str, Any]], bool]) -> threading.Event:
        """Calls of `method` matching `match` wait until the returned event is set."""
        event = threading.Event()
        self._holds.append((method.lower(), match, event))
        return event

    # ---- test side: observe the bot --------------------------------------------------------

    def mark(self) -> int:
        """A position in `calls`; pass it as `since` to look only at later calls."""
        with self._cond:
            return len(self.calls)

    def find(self, method: str, *, since: int = 0, chat_id: int | None = None) -> list[Call]:
        """Successful calls of `method` (to `chat_id`) made after `since`."""
        with self._cond:
            return [
                call
                for call in self.calls[since:]
                if call.method == method
                and call.error is None
                and (chat_id is None or call.params.get("chat_id") == chat_id)
            ]

    def wait_for(
        self,
        method: str,
        *,
        since: int = 0,
        chat_id: int | None = None,
        match: Callable[[Call], bool] = lambda call: True,
        count: int = 1,
        timeout: float = WAIT,
    ) -> list[Call]:
        """Wait until `count` successful matching calls exist; they are returned."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.find(method, since=since, chat_id=chat_id) if match(c)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{count} {method} call(s) not seen; calls: {self.calls[since:]}"
                    )
                self._cond.wait(left)

    def wait_reply(self, message: dict[str, Any], *, since: int = 0, **kwargs: Any) -> Call:
        """The first message the bot sends into the chat of `message` after `since`."""
        return self.wait_for("sendMessage", since=since, chat_id=message["chat"]["id"], **kwargs)[0]

    # ---- server side -------------------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any]) -> Any:
        """Carry out one Bot API call; raises `ApiError` when Telegram would refuse it."""
        name = method.lower()
        for held, match, event in list(self._holds):
            if held == name and match(params):
                event.wait(WAIT * 2)
        call = Call(method, params)
        try:
            with self._cond:
                chat_id = params.get("chat_id")
                failure = next(
                    (f for f in self._failures if f[0] == name and f[1] in (None, chat_id)), None
                )
                if failure:
                    self._failures.remove(failure)
                    raise failure[2]
                now = time.monotonic()
                for method_name, chat, until, error in self._outages:
                    if method_name == name and now < until and chat in (None, chat_id):
                        raise error or Disconnect()
            if name == "getupdates":
                call.result = self._get_updates(params)
                return call.result
            handler = getattr(self, f"_api_{name}", None)
            if handler is None:
                raise ApiError("Not Found", code=404)
            with self._cond:
                call.result = handler(params)
            return call.result
        except ApiError as error:
            call.error = error.description
            raise
        except Disconnect:
            call.error = "connection dropped"
            raise
        finally:
            if name != "getupdates":
                with self._cond:
                    self.calls.append(call)
                    self._cond.notify_all()

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook:
            raise ApiError(
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
                code=409,
            )
        offset = params.get("offset", 0)
        self.offset = max(self.offset, offset or 0)
        allowed = params.get("allowed_updates") or None
        deadline = time.monotonic() + min(params.get("timeout", 0), 50)
        with self._cond:
            while True:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if allowed:
                    self._updates = [u for u in self._updates if set(u) & set(allowed)]
                if self._updates or self._closing or time.monotonic() >= deadline:
                    return self._updates[: params.get("limit", 100)]
                self._cond.wait(deadline - time.monotonic())

    def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.me

    def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError("Bad Request: secret token contains unallowed characters")
        self.webhook = {"url": params["url"], "secret_token": secret}
        return True

    def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        return True

    def _api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    _api_logout = _api_close

    def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[scope_key(params.get("scope"))] = commands
        return True

    def _api_setmydescription(self, params: dict[str, Any]) -> bool:
        if len(params.get("description", "")) > MAX_DESCRIPTION:
            raise ApiError("Bad Request: description is too long")
        self.description = params.get("description", "")
        return True

    def _api_setmyshortdescription(self, params: dict[str, Any]) -> bool:
        if len(params.get("short_description", "")) > MAX_SHORT_DESCRIPTION:
            raise ApiError("Bad Request: short description is too long")
        self.short_description = params.get("short_description", "")
        return True

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ApiError("Bad Request: chat not found")
        return chat

    def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        visible = check_text(params.get("text"), params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.me,
            "text": visible,
        }
        if params.get("parse_mode") == "HTML" and (entities := parse_html_entities(
            str(params.get("text")))[1]):
            message["entities"] = entities
        reply = params.get("reply_parameters")
        if reply:
            replied = self._messages.get((chat["id"], reply["message_id"]))
            if replied is None:
                raise ApiError("Bad Request: message to be replied not found")
            # Telegram nests one level only: the replied-to message without its own reply.
            message["reply_to_message"] = {
                k: v for k, v in replied.items() if k != "reply_to_message"
            }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._messages[chat["id"], message["message_id"]] = message
        return message

    def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        message = self._messages.get((chat["id"], params.get("message_id")))
        if message is None or message["from"]["id"] != self.me["id"]:
            raise ApiError("Bad Request: message to edit not found")
        visible = check_text(params.get("text"), params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        if visible == message["text"] and params.get("reply_markup") == message.get("reply_markup"):
            raise ApiError(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        message.update(text=visible, edit_date=int(time.time()))
        message.pop("entities", None)
        if params.get("parse_mode") == "HTML" and (entities := parse_html_entities(
            str(params.get("text")))[1]):
            message["entities"] = entities
        # Telegram drops the inline keyboard of an edit that sends none.
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = params.get("file_id")
        if file_id not in self._files:
            raise ApiError("Bad Request: invalid file_id")
        name, data, size = self._files[file_id]
        if size > MAX_DOWNLOAD:
            raise ApiError("Bad Request: file is too big")
        file_path = f"documents/file_{len(self._paths)}{PurePosixPath(name).suffix}"
        self._paths[file_path] = data
        return {
            "file_id": file_id,
            "file_unique_id": f"AgAD-{file_id}",
            "file_size": size,
            "file_path": file_path,
        }

    def download(self, file_path: str) -> bytes:
        """The bytes at a file URL's path, as Telegram serves them after getFile."""
        with self._cond:
            if file_path not in self._paths:
                raise ApiError("Not Found", code=404)
            self.downloads.append(file_path)
            self._cond.notify_all()
            return self._paths[file_path]

    def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id")
        if self._callbacks.get(query_id, True):
            raise ApiError(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        if len(params.get("text", "")) > 200:
            raise ApiError("Bad Request: MESSAGE_TOO_LONG")
        self._callbacks[query_id] = True
        return True


    def _api_answerinlinequery(self, params: dict[str, Any]) -> bool:
        query_id = params.get("inline_query_id")
        if self._inline_queries.get(query_id, True):
            raise ApiError(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        results = params.get("results")
        if not isinstance(results, list) or len(results) > MAX_INLINE_RESULTS:
            raise ApiError("Bad Request: RESULTS_TOO_MUCH")
        ids = [str(result.get("id", "")) for result in results]
        if any(not 1 <= len(i.encode()) <= MAX_RESULT_ID for i in ids):
            raise ApiError("Bad Request: RESULT_ID_INVALID")
        if len(set(ids)) != len(ids):
            raise ApiError("Bad Request: RESULT_ID_DUPLICATE")
        for result in results:
            if result.get("type") != "article" or not result.get("title"):
                raise ApiError("Bad Request: RESULT_TYPE_INVALID")
            content = result.get("input_message_content") or {}
            check_text(content.get("message_text"), content.get("parse_mode"))
            check_markup(result.get("reply_markup"))
        self._inline_queries[query_id] = True
        return True


def decode_params(raw: dict[str, str]) -> dict[str, Any]:
    """Bot API parameters as python-telegram-bot sends them: strings, JSON for objects."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in BOOL_PARAMS and value in ("true", "false", "True", "False"):
            params[key] = value.lower() == "true"
        elif key in JSON_PARAMS or (key in INT_PARAMS and value.lstrip("-").isdigit()):
            params[key] = json.loads(value)
        else:
            params[key] = value
    return params


class _Handler(BaseHTTPRequestHandler):
    """Routes /bot<token>/<method> to the emulator and writes Telegram's JSON envelope."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        """Keep the test output quiet."""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        emulator: BotApiEmulator = self.server.emulator  # type: ignore[attr-defined]
        files = f"/file/bot{emulator.token}/"
        path = unquote(urlsplit(self.path).path)  # python-telegram-bot quotes the token's ':'
        if not path.startswith(files):
            self.do_POST()
            return
        try:
            data = emulator.download(path[len(files) :])
        except ApiError as error:
            self._reply(error.code, error.body())
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(ConnectionError):
            self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        emulator: BotApiEmulator = self.server.emulator  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        prefix = f"/bot{emulator.token}/"
        try:
            if emulator.revoked or not url.path.startswith(prefix):
                raise ApiError("Unauthorized", code=401)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            if "json" in (self.headers.get("Content-Type") or ""):
                params = json.loads(body or "{}")
            else:
                params = decode_params(dict(parse_qsl(url.query)) | dict(parse_qsl(body)))
            result = emulator.handle(url.path[len(prefix) :], params)
            self._reply(200, {"ok": True, "result": result})
        except ApiError as error:
            self._reply(error.code, error.body())
        except Disconnect:
            self.close_connection = True  # no reply at all: the client sees the connection drop

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(ConnectionError):  # the bot stopped while a poll was open
            self.wfile.write(data)
