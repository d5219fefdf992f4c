"""Configuration read from the environment (and a `.env` file) by entry points only.

Library code receives a `Settings` (or the few values it needs) as arguments
and never reads the environment itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message says which."""


def sample_corpus_dir() -> Path:
    """The small corpus shipped with Wenda, used when no corpus is configured."""
    return Path(str(resources.files("settings").joinpath("sample_corpus")))


@dataclass(frozen=True, kw_only=True)
class Settings:
    corpus_dir: Path = field(default_factory=sample_corpus_dir)
    db_path: Path = Path("wenda.db")
    telegram_token: str = ""
    telegram_base_url: str = "https://api.telegram.org/bot"
    admin_ids: frozenset[int] = frozenset()
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str = ""
    timezone: str = "Asia/Shanghai"  # operators' time zone, for times the bot shows
    journal_path: Path | None = None  # the bot's own small file; None: beside the index

    @property
    def journal_file(self) -> Path:
        """Where the bot keeps what outlives a restart: `journal_path`, or beside the index
        (wenda.db -> wenda-journal.db), never in it, since a reindex replaces the index."""
        if self.journal_path is not None:
            return self.journal_path
        return self.db_path.with_name(f"{self.db_path.stem}-journal.db")


def read_environment(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> dict[str, str]:
    """The process environment over the values of a `.env` file (the environment wins)."""
    values: dict[str, str] = {}
    path = env_file if env_file is not None else Path(".env")
    if path.is_file():
        values.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return values


def _parse_timezone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ValueError, ZoneInfoNotFoundError):
        raise SettingsError(
            f"WENDA_TIMEZONE={raw!r} is not a time zone (e.g. Asia/Shanghai)"
        ) from None
    return raw


def _parse_admin_ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            ids.add(int(part))
        except ValueError:
            raise SettingsError(f"WENDA_ADMIN_IDS: {part!r} is not a Telegram user id") from None
    return frozenset(ids)


def _parse_port(raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"WENDA_WEBHOOK_PORT: {raw!r} is not a port number") from None
    if not 0 < port < 65536:
        raise SettingsError(f"WENDA_WEBHOOK_PORT: {port} is out of range")
    return port


def load_settings(env: Mapping[str, str]) -> Settings:
    """Build `Settings` from environment-like values; the token is checked by the bot."""
    defaults = Settings()
    return Settings(
        corpus_dir=Path(env["WENDA_CORPUS_DIR"])
        if env.get("WENDA_CORPUS_DIR")
        else defaults.corpus_dir,
        db_path=Path(env.get("WENDA_DB") or defaults.db_path),
        telegram_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
        telegram_base_url=env.get("TELEGRAM_BASE_URL") or defaults.telegram_base_url,
        admin_ids=_parse_admin_ids(env.get("WENDA_ADMIN_IDS", "")),
        webhook_url=env.get("WENDA_WEBHOOK_URL", "").strip(),
        webhook_listen=env.get("WENDA_WEBHOOK_LISTEN") or defaults.webhook_listen,
        webhook_port=_parse_port(env["WENDA_WEBHOOK_PORT"])
        if env.get("WENDA_WEBHOOK_PORT")
        else defaults.webhook_port,
        webhook_secret=env.get("WENDA_WEBHOOK_SECRET", "").strip(),
        timezone=_parse_timezone(env.get("WENDA_TIMEZONE", "").strip() or defaults.timezone),
        journal_path=Path(env["WENDA_JOURNAL"]) if env.get("WENDA_JOURNAL") else None,
    )
