"""Settings from the environment: defaults, and a clear error for a bad value."""

from __future__ import annotations

import pytest

from settings import SettingsError, load_settings


def test_times_default_to_shanghai_and_follow_wenda_timezone():
    assert load_settings({}).timezone == "Asia/Shanghai"
    assert load_settings({"WENDA_TIMEZONE": "Europe/Berlin"}).timezone == "Europe/Berlin"


def test_an_unknown_time_zone_is_a_clear_error():
    with pytest.raises(SettingsError, match="WENDA_TIMEZONE='Mars/Olympus' is not a time zone"):
        load_settings({"WENDA_TIMEZONE": "Mars/Olympus"})


def test_the_journal_sits_beside_the_index_unless_wenda_journal_says_otherwise(tmp_path):
    index = tmp_path / "data" / "wenda.db"
    assert load_settings({"WENDA_DB": str(index)}).journal_file == index.with_name(
        "wenda-journal.db"
    )
    elsewhere = tmp_path / "state" / "bot.db"
    settings = load_settings({"WENDA_DB": str(index), "WENDA_JOURNAL": str(elsewhere)})
    assert settings.journal_file == elsewhere
