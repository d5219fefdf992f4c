"""`python -m bot`: the same as `wenda serve`."""

import sys

from wenda.cli import main

raise SystemExit(main(["serve", *sys.argv[1:]]))
