"""``schedctl get | put | diff | backups | restore``: item schedules through the safe pipeline.

Nothing heavy is imported at module level; each command imports what it needs.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from . import COURSE_HELP, EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from .saving import confirm, print_findings, save_course, say

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..api.client import LearningStudioClient
    from ..core.model import Schedule
    from ..store.backups import BackupStore

#: The key ``get`` adds to its document: which server and course, and the fingerprint of
#: what the server had then, so that ``put`` can tell whether someone changed it since.
READ_KEY = "readFromServer"
WRITE_NOTE = (
    "Before writing, the changes are shown and you are asked to confirm; --yes skips the "
    "question. When input is not a terminal (scripts, pipes) nothing is written without "
    "--yes. Every write backs up the server's current schedule first (see 'backups') and "
    "reads the result back to verify it. Exit codes: 0 done, 1 input rejected or validation "
    "failed, 2 usage, 3 login/permission, 4 conflict, 5 network or server."
)

LOGIN_NOTE = (
    "Login from the environment: LS_BASE_URL, LS_CLIENT_STRING, LS_APP_ID, LS_USERNAME and "
    "LS_PASSWORD (OAuth 2); or LS_TOKEN_KEY_MONIKER, LS_SHARED_SECRET (and LS_APP_NAME for "
    "the OAuth 2 assertion grant, --auth oauth1 for OAuth 1). Without LS_PASSWORD the "
    "password the app remembered in the system keyring is used."
)


def register(subparsers: Any) -> None:
    get = subparsers.add_parser(
        "get",
        epilog=LOGIN_NOTE,
        help="download a course's item schedules as JSON or XML",
        description="Write every item schedule of COURSE as the server's document, with "
        "what put needs to notice later changes (readFromServer). The format is --format "
        "json|xml, else FILE's suffix (.json or .xml), else the saved wire_format (JSON "
        "unless set); a --format that FILE's suffix contradicts is refused (exit 2).",
    )
    get.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    get.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (default: stdout); FILE.xml is written as XML",
    )
    get.set_defaults(func=run_get)

    put = subparsers.add_parser(
        "put",
        epilog=LOGIN_NOTE,
        help="apply a JSON or XML file to a course (backup, one PUT, verify)",
        description="Make COURSE's schedules equal to FILE (JSON or XML, as 'get' writes). "
        + WRITE_NOTE,
    )
    put.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    put.add_argument(
        "file",
        metavar="FILE",
        help="the edited schedules document (JSON or XML, as 'get' wrote it)",
    )
    put.add_argument("--dry-run", action="store_true", help="print the changes, send nothing")
    put.add_argument(
        "--base",
        metavar="ORIGINAL",
        help="the file 'get' wrote before you edited FILE: changes made on the server since "
        "then are reported as a conflict (or merged with --merge)",
    )
    mode = put.add_mutually_exclusive_group()
    mode.add_argument(
        "--merge",
        action="store_true",
        help="if the server changed meanwhile, merge changes that do not overlap",
    )
    mode.add_argument(
        "--force", action="store_true", help="if the server changed meanwhile, overwrite it"
    )
    put.set_defaults(func=run_put)

    diff = subparsers.add_parser(
        "diff",
        epilog=LOGIN_NOTE,
        help="show what 'put' would change",
        description="Compare COURSE on the server with FILE; sends nothing.",
    )
    diff.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    diff.add_argument("file", metavar="FILE", help="a schedules document (JSON or XML)")
    diff.set_defaults(func=run_diff)

    backups = subparsers.add_parser(
        "backups",
        epilog=LOGIN_NOTE,
        help="list the backups of a course, newest first",
        description="List the backups written before each save of COURSE, newest first.",
    )
    backups.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    backups.set_defaults(func=run_backups)

    restore = subparsers.add_parser(
        "restore",
        epilog=LOGIN_NOTE,
        help="put a backup back on the server",
        description="Write a backup back to COURSE through the same safe pipeline. " + WRITE_NOTE,
    )
    restore.add_argument("course", metavar="COURSE", help=COURSE_HELP)
    restore.add_argument(
        "backup",
        metavar="BACKUP",
        help="number from 'backups' (1 = newest), file name or path (also of a snapshot of "
        "what a save sent, listed under its backup)",
    )
    restore.add_argument("--dry-run", action="store_true", help="print the changes, send nothing")
    restore.add_argument(
        "--from-other-server",
        action="store_true",
        help="allow a backup written for another server (base URL) than this one",
    )
    restore.set_defaults(func=run_restore)


# --------------------------------------------------------------------------- helpers


def _client(args: argparse.Namespace) -> LearningStudioClient:
    from .context import client_from_args

    return client_from_args(args)


def _read_schedule(path_text: str, course_id: str) -> Schedule:
    return _read_document(path_text, course_id)[0]


def _read_document(path_text: str, course_id: str) -> tuple[Schedule, dict[str, Any]]:
    """The schedule in a JSON/XML file, and what ``get`` wrote about where it came from
    (``{}`` when the file does not say: made by hand, or by an older ``get``)."""
    from pathlib import Path

    from ..core import codec

    path = Path(path_text)
    try:
        with path.open("rb") as handle:  # a bigger file is refused without reading it all
            data = handle.read(codec.MAX_BODY_BYTES + 1)
    except OSError as exc:
        raise CliError(f"Cannot read {path}: {exc.strerror or exc}.", EXIT_INPUT) from None
    read: Any = None
    try:
        if codec.sniff_format(data) == "xml":
            schedule = codec.parse(data, course_id, "xml")
            read = _origin_in_xml(data)
        else:  # one json.loads for the items and what get wrote beside them
            schedule, document = codec.parse_json_document(data, course_id)
            read = document.get(READ_KEY)  # a document is an object (checked by the parse)
    except codec.ScheduleFormatError as exc:
        raise CliError(f"{path} is not a schedules document: {exc}.", EXIT_INPUT) from None
    return schedule, read if isinstance(read, dict) else {}


def _warn_ignored_dates(current: Schedule, wanted: Schedule) -> None:
    """Dates edited on an item still marked inherited are not sent: say so."""
    shown = 0
    for item in wanted.items:
        before = current.get(item.item_id)
        if (
            item.is_inherited
            and before is not None
            and before.is_inherited
            and (item.start, item.end) != (before.start, before.end)
        ):
            shown += 1
            if shown <= 5:
                say(
                    f"note: item {item.item_id} still has isInherited true, so its "
                    "changed start/end are not sent; set isInherited to false to send them."
                )


def _show_changes(current: Schedule, wanted: Schedule, tz: ZoneInfo) -> bool:
    """Print the diff to stdout; True if there is anything to send."""
    from ..core.diff import diff_schedules, render_text

    diff = diff_schedules(current, wanted)
    print(render_text(diff, tz))
    return bool(diff)


# --------------------------------------------------------------------------- commands


def run_get(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..store.paths import write_output

    fmt = _document_format(args)
    args.wire_format = fmt  # the server's own answer in that format is the document
    with _client(args) as client:  # the document needs no unit tree: no hierarchy GET
        schedule = client.get_schedule(args.course, with_parents=False)
    data = _document_with_origin(schedule, client.base_url, fmt)
    if args.output:
        write_output(Path(args.output), data)
        say(
            f"Wrote {len(schedule)} item schedules of course {schedule.course_id} "
            f"to {args.output} ({fmt.upper()})."
        )
    else:
        sys.stdout.write(data.decode("utf-8"))
    return EXIT_OK


def _document_format(args: argparse.Namespace) -> str:
    """``--format``, else the output file's suffix (``.json``/``.xml``), else the saved
    ``wire_format`` (JSON unless set): the format the server is asked for, too.

    A ``--format`` that the suffix contradicts is refused before anything is read: a
    file named ``x.xml`` that holds JSON (or the reverse) misleads every later reader.
    """
    from pathlib import Path

    asked = getattr(args, "wire_format", None)
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    named = suffix if suffix in ("json", "xml") else None
    if asked and named and asked != named:
        raise CliError(
            f"--format {asked} asks for {asked.upper()}, but {args.output} ends in .{named}: "
            f"nothing was read. Drop --format to write {named.upper()}, or name the file "
            f"{Path(args.output).with_suffix('.' + asked).name}.",
            EXIT_USAGE,
        )
    if asked or named:
        return str(asked or named)
    from ..session.client import wire_format
    from ..store.settings import load_settings

    return wire_format(load_settings())


def _document_with_origin(schedule: Schedule, base_url: str, fmt: str = "json") -> bytes:
    """The schedules document plus where it was read (no time: the same server state
    gives the same bytes): in JSON ``"readFromServer": {...}`` as its last key, in XML a
    ``<?readFromServer {...}?>`` processing instruction before the root element (XML
    readers skip it; the items keep the server's own shape)."""
    import json

    from ..core import codec
    from ..store.backups import public_url

    read = {
        "courseId": schedule.course_id,
        "fingerprint": schedule.fingerprint(),
        "baseUrl": public_url(base_url),
        "note": "put compares this fingerprint with the server's to find changes made since",
    }
    if fmt == "xml":
        try:
            document = _server_document(schedule, "xml") or codec.dump(schedule, "xml")
        except codec.ScheduleFormatError as exc:
            raise CliError(f"{exc}.", EXIT_INPUT) from None
        # ASCII, and no ">": the text can never end the instruction early.
        text = json.dumps(read, ensure_ascii=True).replace(">", "\\u003e")
        instruction = f"<?{READ_KEY} {text}?>\n".encode()
        declaration, root = _split_xml_declaration(document)
        return declaration + instruction + root + b"\n"
    document = _server_document(schedule, "json") or codec.dump(schedule, "json").rstrip()
    origin = json.dumps(read, ensure_ascii=False).encode()
    return document[:-1].rstrip() + b',\n"' + READ_KEY.encode() + b'": ' + origin + b"}\n"


def _split_xml_declaration(document: bytes) -> tuple[bytes, bytes]:
    """``(b'<?xml ...?>\\n', rest)``; the declaration must stay first in the file."""
    if document.startswith(b"<?xml"):
        end = document.find(b"?>") + 2
        return document[:end] + b"\n", document[end:].strip()
    return b"", document.strip()


def _origin_in_xml(data: bytes) -> Any:
    """What ``get`` wrote into an XML document (its ``readFromServer`` instruction)."""
    import json
    import re

    found = re.match(
        rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?<\?" + READ_KEY.encode() + rb"\s(.*?)\?>",
        data[:4096],
        re.DOTALL,
    )
    if found is None:
        return None
    try:
        return json.loads(found.group(1))
    except ValueError:
        return None


def _server_document(schedule: Schedule, fmt: str) -> bytes | None:
    """The server's own answer, unchanged (nothing to re-encode: the cheapest lossless
    copy), when it came in ``fmt`` and looks whole; None otherwise."""
    source = schedule.source
    if schedule.source_format != fmt or not isinstance(source, bytes):
        return None
    body = source.strip()
    if fmt == "xml":
        body = body.removeprefix(b"\xef\xbb\xbf")
        return body if body.startswith(b"<") and body.endswith(b">") else None
    return body if body.startswith(b"{") and body.endswith(b"}") and len(body) > 2 else None


def run_diff(args: argparse.Namespace) -> int:
    from .context import course_time_zone

    with _client(args) as client:
        current = client.get_schedule(args.course, with_parents=False)
    wanted, read = _read_document(args.file, current.course_id)
    _refuse_another_courses_file(args, "diff", current, wanted, read)
    _warn_ignored_dates(current, wanted)
    _show_changes(current, wanted, course_time_zone(args, current.course_id))
    return EXIT_OK


def _refuse_another_courses_file(
    args: argparse.Namespace, command: str, current: Schedule, wanted: Schedule, read: Any
) -> None:
    """A file ``get`` wrote for another course (none of its items are this course's)
    is named as such: one sentence, not every item listed as missing and unknown."""
    source = str(read.get("courseId", "")) if isinstance(read, dict) else ""
    if not source or source == current.course_id or set(wanted.by_id) & set(current.by_id):
        return
    raise CliError(
        f"{args.file} was read from course {source}, not course {current.course_id}: "
        f"nothing was sent. For that course: schedctl {command} {source} {args.file}",
        EXIT_INPUT,
    )


def run_put(args: argparse.Namespace) -> int:
    from ..core.validate import has_errors, validate
    from .context import course_time_zone

    with _client(args) as client:
        current = client.get_schedule(args.course, with_parents=False)
        tz = course_time_zone(args, current.course_id)
        wanted, read = _read_document(args.file, current.course_id)
        _refuse_another_courses_file(args, "put", current, wanted, read)
        base = _put_base(args, current, read, client.base_url)
        _warn_ignored_dates(current, wanted)
        changed = _show_changes(current, wanted, tz)
        findings = validate(wanted, expected_ids=list(current.by_id), tz=tz)
        if has_errors(findings):
            say("The file has problems that must be fixed first:")
            print_findings(findings)
            return EXIT_INPUT
        if args.dry_run:
            say("Dry run: nothing was sent.")
            return EXIT_OK
        if not changed and not args.base:
            say("Nothing to save: the server already has this schedule.")
            return EXIT_OK
        confirm(args, f"Write these changes to course {current.course_id}?")
        return save_course(
            args,
            client,
            current.course_id,
            base=base,
            edited=wanted,
            tz=tz,
            reason="before put",
            validated=True,  # just above, with the server's item ids
        )


def _put_base(
    args: argparse.Namespace, current: Schedule, read: dict[str, Any], base_url: str
) -> Schedule | str:
    """What ``put`` compares the server with: ``--base``, else the fingerprint ``get``
    wrote into FILE, else (a file that does not say) the server's state, with a note."""
    from ..store.backups import public_url

    if args.base:
        return _read_schedule(args.base, current.course_id)
    fingerprint = read.get("fingerprint")
    same_course = str(read.get("courseId", "")) == current.course_id
    same_server = public_url(str(read.get("baseUrl") or base_url)) == public_url(base_url)
    if isinstance(fingerprint, str) and fingerprint and same_course and same_server:
        if fingerprint == current.fingerprint():
            # Unchanged since get: the server's state is the base, so the save encodes the
            # PUT body while it reads the course again, and compares bodies, not hashes.
            return current
        if args.merge:
            raise CliError(
                "The course changed on the server since FILE was read, and --merge needs the "
                "original to tell your changes from theirs: add --base ORIGINAL (the file "
                "'get' wrote before you edited it). Or 'get' the course again and redo the "
                "edit, or --force to overwrite.",
                EXIT_USAGE,
            )
        return fingerprint
    if not args.force:
        where = "" if not read else " (it was read from another course or server)"
        say(
            f"note: {args.file} does not say what the server had when it was read{where}, "
            "so put cannot tell whether someone changed the course since; files from "
            "'schedctl get' say it, or pass --base ORIGINAL."
        )
    return current


def _course_id(args: argparse.Namespace) -> str:
    from ..api.client import normalize_course

    try:
        course = normalize_course(args.course)
    except Exception as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    if course.isdigit():
        return course
    with _client(args) as client:
        return client.resolve_course_id(course)


def _backup_store(args: argparse.Namespace) -> BackupStore:
    from ..store.backups import BackupStore
    from .context import base_url_of

    return BackupStore(base_url=base_url_of(args))


def run_backups(args: argparse.Namespace) -> int:
    from ..core.times import format_local
    from .context import course_time_zone

    course_id = _course_id(args)
    tz = course_time_zone(args, course_id)
    store = _backup_store(args)
    infos = store.for_course(course_id)
    if not infos:
        say(
            f"No backups of course {course_id} from {store.base_url} yet "
            "(one is written before every save)."
        )
        return EXIT_OK
    for number, info in enumerate(infos, start=1):
        when = format_local(info.created, tz)
        if info.damaged:
            print(f"{number:>3}  {when}  DAMAGED: {info.damaged}  {info.path}")
            continue
        print(f"{number:>3}  {when}  {info.items:>6} items  {info.reason:<14}  {info.path}")
        if info.after is not None:
            print(f"{'':>3}  {'':<{len(when)}}  {'':>6}  what that save sent:  {info.after}")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from ..core.model import Schedule
    from ..core.validate import has_errors, validate
    from .context import course_time_zone

    with _client(args) as client:
        current = client.get_schedule(args.course, with_parents=False)
        tz = course_time_zone(args, current.course_id)
        store = _backup_store(args)
        info = store.find_info(current.course_id, args.backup)
        path = info.path
        if info.damaged:
            raise CliError(
                f"The backup {path.name} is damaged ({info.damaged}); nothing was restored. "
                f"Pick another one from: schedctl backups {current.course_id}",
                EXIT_INPUT,
            )
        if info.course_id != current.course_id:
            # Input rejected (1), as put, diff and import of another course's file are.
            raise CliError(
                f"{path.name} is a backup of course {info.course_id}, not course "
                f"{current.course_id}: nothing was restored. Pick one of: "
                f"schedctl backups {current.course_id}",
                EXIT_INPUT,
            )
        if info.base_url and info.base_url != store.base_url and not args.from_other_server:
            raise CliError(
                f"{path.name} is a backup from {info.base_url}, not from {store.base_url}: "
                "restoring it would copy another server's dates here. Nothing was restored; "
                "add --from-other-server if that is what you want.",
                EXIT_USAGE,
            )
        _, saved = store.load(path, current.course_id)
        wanted = Schedule(current.course_id, saved.items)
        changed = _show_changes(current, wanted, tz)
        # As for put: a damaged backup (an item twice, absurd dates) is named, not trusted.
        findings = validate(wanted, expected_ids=list(current.by_id), tz=tz)
        if has_errors(findings):
            say(f"The backup {path.name} has problems; nothing was restored:")
            print_findings(findings)
            return EXIT_INPUT
        if args.dry_run:
            say("Dry run: nothing was sent.")
            return EXIT_OK
        if not changed:
            say("Nothing to restore: the server already has this schedule.")
            return EXIT_OK
        confirm(args, f"Restore course {current.course_id} to the backup {path.name}?")
        return save_course(
            args,
            client,
            current.course_id,
            base=current,
            edited=wanted,
            tz=tz,
            reason="before restore",
        )
