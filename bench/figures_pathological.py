"""Time `extract_figures` on inputs that once took quadratic time or crashed.

Each input is one line such as an index build may meet (a table flattened
into one line, a run of digits, a numeral chain). The script prints the
time per input and per 100 KB of UTF-8; an input that runs past the cap is
stopped and shown as "> cap", one that raises shows the error.

    python -m bench.figures_pathological [--cap SECONDS]
"""

from __future__ import annotations

import argparse
import signal
import time
from types import FrameType

from index.figures import extract_figures

INPUTS = {
    "20k digits": "1" * 20_000,
    "20k of 一二三": ("一二三" * 6_667)[:20_000],
    "67 KB of 5%、": "5%、" * 13_400,
    "100k chars of 1元，": ("1元，" * 33_334)[:100_000],
    "200 KB of 同比增长-5%，": "同比增长-5%，" * 9_000,
    "400 digits .5亿元": "9" * 400 + ".5亿元",
    "5000 digits 亿元": "9" * 5_000 + "亿元",
    "一 + 2000 亿 + 元": "一" + "亿" * 2_000 + "元",
    "20k of 2024年13月30日，": "2024年13月30日，" * 1_700,
}


class _Timeout(Exception):
    """The input ran past the cap."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def time_input(text: str, cap: float) -> str:
    """How long one extraction took, as a short line (or why it did not finish)."""
    signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, cap)
    started = time.perf_counter()
    try:
        figures = extract_figures(text)
    except _Timeout:
        return f"> {cap:.0f} s (stopped)"
    except Exception as error:  # noqa: BLE001 - the bench reports any crash
        return f"raised {type(error).__name__}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    seconds = time.perf_counter() - started
    per_100kb = seconds * 100_000 / max(len(text.encode("utf-8")), 1)
    return f"{seconds:8.3f} s  ({per_100kb:.3f} s/100 KB, {len(figures)} figures)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap", type=float, default=30.0, help="seconds before an input stops")
    args = parser.parse_args()
    for name, text in INPUTS.items():
        size = len(text.encode("utf-8")) / 1000
        print(f"{name:28} {size:7.1f} KB  {time_input(text, args.cap)}", flush=True)


if __name__ == "__main__":
    main()
