"""Webhook mode: Wenda's own small endpoint, reading updates as polling mode does.

python-telegram-bot's own webhook server parses each POST itself: an update it
cannot read gets HTTP 400, which Telegram answers by sending it again, for
ever, and lone surrogates in its strings reach the handlers as they are. Here,
as PTB documents for custom webhook servers, a tornado endpoint (tornado comes
with PTB's webhook extra) puts updates on the Application's queue:

* a request without the secret header, or not JSON, is refused (403);
* the body is read by `edge.read_webhook_update`: lone surrogates replaced, an
  update that cannot be read logged once (no token, no secret) and answered
  200, so Telegram drops it;
* SIGINT and SIGTERM stop it cleanly, in the order `Application.run_webhook` uses.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import signal
from http import HTTPStatus
from types import TracebackType
from urllib.parse import urlsplit

import tornado.web
from telegram.ext import Application, ExtBot
from tornado.httpserver import HTTPServer

from bot.app import ALLOWED_UPDATES
from bot.edge import read_webhook_update
from settings import Settings

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 4 << 20  # an update is a few kilobytes
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class UpdateReceiver(tornado.web.RequestHandler):
    """POSTs from Telegram: each a JSON update for the Application's queue."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, bot_application: Application, secret: str) -> None:
        self.bot_application = bot_application
        self.secret = secret

    async def post(self) -> None:
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip() != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        given = self.request.headers.get(SECRET_HEADER, "")
        if self.secret and not hmac.compare_digest(given.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        bot = self.bot_application.bot
        update = read_webhook_update(self.request.body, bot)
        if update is not None:
            if isinstance(bot, ExtBot):  # as PTB's own endpoint: arbitrary callback data
                bot.insert_callback_data(update)
            await self.bot_application.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Refusals are not news; a failure is logged without the request (whose headers
        hold the secret), unlike tornado's own log line."""
        if value is None or isinstance(value, tornado.web.HTTPError):
            return
        logger.error("the webhook endpoint failed on a request", exc_info=(typ, value, tb))


def start_receiver(application: Application, settings: Settings) -> HTTPServer:
    """Listen on `WENDA_WEBHOOK_LISTEN:PORT` at the webhook URL's path."""
    path = "/" + urlsplit(settings.webhook_url).path.strip("/")
    routes = [
        (
            re.escape(path.rstrip("/")) + "/?",
            UpdateReceiver,
            {"bot_application": application, "secret": settings.webhook_secret},
        )
    ]
    app = tornado.web.Application(routes, log_function=lambda handler: None)
    server = HTTPServer(app, max_body_size=MAX_BODY_BYTES)
    server.listen(settings.webhook_port, address=settings.webhook_listen)
    return server


async def serve_webhook(application: Application, settings: Settings) -> None:
    """Register the webhook and serve updates until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await application.bot.set_webhook(
            url=settings.webhook_url,
            allowed_updates=ALLOWED_UPDATES,
            secret_token=settings.webhook_secret or None,
        )
        server = start_receiver(application, settings)
        try:
            await application.start()
            await stop.wait()
        finally:
            server.stop()
            await server.close_all_connections()
            if application.running:
                await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)


def run_webhook(application: Application, settings: Settings) -> None:
    """Serve `application` in webhook mode until SIGINT/SIGTERM (what `wenda serve` runs)."""
    asyncio.run(serve_webhook(application, settings))
