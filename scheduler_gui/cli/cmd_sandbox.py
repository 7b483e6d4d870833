"""``schedctl sandbox``: serve the LearningStudio sandbox until interrupted."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TYPE_CHECKING

from . import EXIT_USAGE, CliError

if TYPE_CHECKING:
    from scheduler_gui.sandbox.server import RunningSandbox


def _port(text: str) -> int:
    """A TCP port number (argparse turns the ValueError into a usage error)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: use a number from 0 to 65535")
    return port


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help="run a local LearningStudio sandbox server (demo data, fault injection)",
        description=(
            "Serve a faithful LearningStudio API on this machine, with demo courses "
            "123456 (DEMO-101) and 900000 (BIG-900, 10,000 items). Log in as prof, ta, "
            "student or admin (password = user name), client string 'sandbox', "
            "application id 'sandbox-app'."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=8765, help="port (0 = any free port)")
    parser.add_argument(
        "--data",
        metavar="FILE",
        help="SQLite file to keep the data in (seeded when new; default: in memory)",
    )
    parser.add_argument(
        "--faults",
        metavar="SPEC",
        default="",
        help=(
            "faults to inject, e.g. 'latency=0.5,status429=3,status503=2@PUT,drop=1,"
            "drop_after=1@PUT,expire_tokens=1,touch=1'; each NAME=NUMBER[@METHOD][:PATH]"
            " (names: latency, statusNNN, drop, drop_after, expire_tokens, touch, retry_after)"
        ),
    )
    parser.add_argument(
        "--token-ttl",
        type=int,
        default=3600,
        metavar="SECONDS",
        help="expires_in of issued access tokens (default 3600)",
    )
    parser.add_argument(
        "--seed-sections",
        type=int,
        default=0,
        metavar="N",
        help="also serve N generated sections of a term (course ids 700001..., call numbers "
        "TERM-0001..., 15 items each, taught by prof), for term rollovers",
    )
    parser.add_argument(
        "--until-stdin-closes",
        action="store_true",
        help="also stop when standard input closes (how scheduler-gui --demo runs it: the "
        "server ends with the app, however the app ends)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_gui.sandbox import server
    from scheduler_gui.sandbox.faults import FaultSpecError
    from scheduler_gui.sandbox.store import StoreError
    from scheduler_gui.sandbox.term import MAX_SECTIONS

    if args.token_ttl < 1:
        raise CliError("--token-ttl must be at least 1 second.", EXIT_USAGE)
    if not 0 <= args.seed_sections <= MAX_SECTIONS:
        raise CliError(f"--seed-sections must be 0 to {MAX_SECTIONS}.", EXIT_USAGE)
    try:
        sandbox = server.start_in_thread(
            data=args.data or ":memory:",
            faults=args.faults,
            token_ttl=args.token_ttl,
            host=args.host,
            port=args.port,
            sections=args.seed_sections,
        )
    except FaultSpecError as exc:
        raise CliError(f"--faults: {exc}", EXIT_USAGE) from None
    except StoreError as exc:
        raise CliError(f"--data: {exc}", EXIT_USAGE) from None
    except OSError as exc:
        raise CliError(
            f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc}). "
            "Choose another --port, or stop the program using it.",
            EXIT_USAGE,
        ) from None
    print(f"Sandbox listening on {sandbox.url}", flush=True)
    warning = server.exposure_warning(args.host)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    if args.seed_sections:
        last = args.seed_sections
        print(
            f"Term sections: courses 700001..{700000 + last} "
            f"(ccn=TERM-0001..TERM-{last:04d}), 15 items each, taught by prof.",
            flush=True,
        )
    if args.until_stdin_closes:
        threading.Thread(target=_stop_at_end_of_input, args=(sandbox,), daemon=True).start()
    server.serve_forever(sandbox)
    return 0


def _stop_at_end_of_input(sandbox: RunningSandbox) -> None:
    for _line in sys.stdin:
        pass
    sandbox.stop(wait=False)  # serve_forever sees it and finishes the stop
