"""`python -m bot`: the same as `wenda serve`."""

import sys

from wenda.cli import main

if __name__ == "__main__":  # not when a spawned worker process imports this module
    raise SystemExit(main(["serve", *sys.argv[1:]]))
