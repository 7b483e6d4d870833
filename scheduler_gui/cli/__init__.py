"""``schedctl``: the command-line twin of the editor.

Start-up must stay fast: this module and the command modules import nothing heavy
(no Qt, no openpyxl, no httpx) at module level; each command imports what it needs
when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .. import __version__

# Exit codes (documented in the README).
EXIT_OK = 0
EXIT_INPUT = 1  # input rejected or validation failed
EXIT_USAGE = 2
EXIT_AUTH = 3  # authentication or permission
EXIT_CONFLICT = 4
EXIT_NETWORK = 5  # network or server

#: The help of a COURSE argument (``api.client.normalize_course`` takes both forms).
COURSE_HELP = "numeric course id or ccn=CALLNUMBER"

# Each module defines ``register(subparsers)`` and sets ``func`` on its parsers.
COMMAND_MODULES = (
    "sandbox",
    "schedules",
    "excel",
    "shift",
    "rollover",
    "batch",
    "activity",
    "copy",
    "zone",
)


class CliError(Exception):
    """An error to print as one or two sentences, with the exit code to use."""

    def __init__(self, message: str, exit_code: int = EXIT_INPUT, detail: str = "") -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.detail = detail


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """The options every command takes, before or after its name (as git and kubectl do).

    After the command they are added with SUPPRESS defaults, so a value given before the
    command is not reset by the command's own parser.
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("global options (before or after the command)")
    group.add_argument(
        "--base-url", default=default(None), help="API base URL (default: $LS_BASE_URL)"
    )
    group.add_argument(
        "--tz",
        metavar="ZONE",
        default=default(None),
        help="course time zone, an IANA name (default: the zone saved for the course, "
        "else this computer's)",
    )
    group.add_argument(
        "--format",
        choices=("json", "xml"),
        default=default(None),
        dest="wire_format",
        help="wire format for API calls (default: the saved wire_format, else json)",
    )
    group.add_argument(
        "--auth",
        choices=("oauth2", "oauth1"),
        default=default("oauth2"),
        help="authentication scheme (default: oauth2)",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default(False),
        help="show details of errors",
    )
    group.add_argument(
        "--yes", action="store_true", default=default(False), help="do not ask before writing"
    )
    group.add_argument(
        "--send-password-unencrypted",
        action="store_true",
        default=default(False),
        help="DANGEROUS: allow a password login over plain http:// to another computer "
        "(anyone on the network can read the password); refused without this",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="schedctl",
        description="Read, check, shift, import and write LearningStudio item schedules.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.cmd_{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.cmd_{name}":
                raise
            continue
        module.register(sub)
    for command in set(sub.choices.values()):
        add_global_options(command, suppress=True)
    return parser


EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, as Unix tools end when their reader is gone


def main(argv: Sequence[str] | None = None) -> int:
    from .terminal import guarded_output

    # A server's control characters never reach a terminal raw; a reader that goes away
    # (``| head``) drops the rest of stdout, and the command still finishes its work (a
    # ``shift --yes`` piped into head saves, and is not cut off half way).
    with guarded_output() as stdout:
        code = _main(argv)
        stdout.flush()  # here, not at exit, where a closed pipe cannot be caught
    if stdout.closed_by_reader and code == 0:
        return EXIT_PIPE_CLOSED  # done, but not all of it was read: as Unix tools say
    return code


def _main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        code = args.func(args)
    except KeyboardInterrupt:
        print("schedctl: interrupted; nothing more was sent.", file=sys.stderr)
        return 130
    except Exception as exc:
        exit_code = getattr(exc, "exit_code", None)
        if not isinstance(exit_code, int):
            raise
        from ..core.redaction import redact  # pure and small: no start-up cost

        # Through the log's redaction: a server may have echoed a password or token.
        print(redact(f"schedctl: {exc}"), file=sys.stderr)
        detail = getattr(exc, "detail", "")
        if args.verbose and detail:
            print(redact(str(detail)), file=sys.stderr)
        return exit_code
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
