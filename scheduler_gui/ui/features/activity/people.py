"""Whose activity the dock reads, from what the user typed: no API syntax needed.

A professor knows a student by name or by the login name they sign in with, not by a
numeric id or the ``loginid=CLIENT|USER`` overload. :func:`read_typed_user` turns the
text into a request: a student already seen (part of their name is enough), a numeric
id, or a login name that :func:`login_user` makes into the overload with the
institution's client string (from ``/me``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

ME = "me"


@dataclass(frozen=True)
class TypedUser:
    """What to ask for: ``user`` (``me``, an id, ``loginid=…``) or a ``login`` name still
    to be made into ``loginid=…``; ``problem`` says why neither could be read."""

    user: str | None = None
    login: str | None = None
    problem: str = ""


def read_typed_user(text: str, known: Sequence[tuple[str, str]]) -> TypedUser:
    """``text`` as typed in the chooser; ``known`` are the (user id, name) pairs seen."""
    text = text.strip()
    if not text or text.casefold() in (ME, "my activity"):
        return TypedUser(user=ME)
    if text.isdigit() or text.casefold().startswith("loginid="):
        return TypedUser(user=text)  # what the API takes, for those who know it
    needle = text.casefold()
    named = [(user_id, name) for user_id, name in known if needle in name.casefold()]
    exact = [(user_id, name) for user_id, name in named if name.casefold() == needle]
    if len(exact) == 1 or len(named) == 1:
        return TypedUser(user=(exact or named)[0][0])
    if named:
        shown = ", ".join(name for _id, name in named[:3])
        return TypedUser(problem=f"{len(named)} students match {text!r} ({shown}): pick one.")
    if not any(character.isspace() or character in "|/\\" for character in text):
        return TypedUser(login=text)
    return TypedUser(
        problem=(
            f"No student named {text!r} seen in this course yet. Type their login name "
            "(the one they sign in to LearningStudio with) or their user id."
        )
    )


def login_user(client: Any, login: str) -> str:
    """``loginid=CLIENT|login`` for the feed, with the client string of the logged-in
    user's institution (``/me``). Runs in a worker: it asks the server."""
    client_string = str(client.me().get("clientString") or "").strip()
    if not client_string:
        raise LookupError(
            f"LearningStudio did not say which institution you belong to, so the login name "
            f"{login!r} cannot be looked up: type the student's user id instead."
        )
    return f"loginid={client_string}|{login}"
