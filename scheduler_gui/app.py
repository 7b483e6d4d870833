"""``scheduler-gui``: the desktop app's entry point (placeholder until the editor lands)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from .cli import main as cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    if "--demo" in args:
        return cli_main(["sandbox"])
    print("The desktop editor is not built yet; try `schedctl --help`.", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
