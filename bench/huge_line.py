"""`python -m bench.huge_line`: index one 50 MB file that is a single line.

    python -m bench.huge_line            # 50 MB, with sentence punctuation
    python -m bench.huge_line --mb 10 --no-punctuation

A file without line breaks is the worst case for a reader that works line by
line: this script writes one (made-up sentences, no corpus text) to a temporary
folder, runs `wenda index` on it in a child process and prints the wall time
and the peak resident memory of the indexing processes, so that a change to
reading can be measured before and after.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_SUBJECTS = ["星河公司", "江城地铁", "云帆科技", "北辰银行", "青松物流", "远山能源"]
_VERBS = ["营收同比增长", "净利润下降", "用户数达到", "订单量提升", "成本减少", "客流突破"]
_UNITS = ["亿元", "万人次", "%", "万家", "吨", "个百分点"]
_ENDS = ["。", "！", "；", "？"]


def write_huge_line(path: Path, megabytes: int, *, punctuation: bool, seed: int = 7) -> int:
    """Write `megabytes` MB of made-up Chinese sentences on one line; return the byte count."""
    generator = random.Random(seed)
    target = megabytes * 1024 * 1024
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        while written < target:
            block = "".join(
                f"{generator.choice(_SUBJECTS)}第{generator.randint(1, 4)}季度"
                f"{generator.choice(_VERBS)}{generator.randint(1, 999)}"
                f"{generator.choice(_UNITS)}"
                + (generator.choice(_ENDS) if punctuation else "，")
                for _ in range(1000)
            )
            data = block.encode("utf-8")
            handle.write(block)
            written += len(data)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50, help="size of the one-line file (50)")
    parser.add_argument(
        "--no-punctuation", action="store_true", help="commas only: no sentence ends to cut at"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wenda-huge-") as scratch:
        corpus = Path(scratch) / "corpus"
        corpus.mkdir()
        size = write_huge_line(corpus / "huge.txt", args.mb, punctuation=not args.no_punctuation)
        started = time.perf_counter()
        command = [sys.executable, "-m", "wenda", "index", "--corpus", str(corpus)]
        command += ["--db", str(Path(scratch) / "wenda.db")]
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    print(result.stdout.strip() or "(no output)")
    if result.returncode:
        print(result.stderr.strip()[-2000:], file=sys.stderr)
    print(f"file: {size / 1e6:.1f} MB on one line")
    print(f"exit code: {result.returncode}")
    print(f"wall time: {seconds:.1f} s")
    print(f"peak RSS of the indexing processes: {children / 1024:.0f} MiB")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
