"""Which URLs the client trusts: with a password, and to open in a browser.

- A password login (OAuth 2 password grant) sends the password to ``{base}/token``: over
  plain ``http://`` anyone on the network can read it. Allowed only to this computer
  (loopback: the sandbox), or when the caller passes an explicit, loudly named option.
- A course entry URL comes from the server and is handed to the browser (or the
  desktop's URL opener, which also runs ``file:``, ``smb:`` and app schemes): only
  ``https://``, and ``http://`` to this computer, are opened.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..core.hosts import is_loopback_host
from .errors import LearningStudioError, ServerError

__all__ = [
    "UnencryptedPasswordError",
    "check_entry_url",
    "check_password_transport",
    "is_loopback_host",
    "is_plain_http_elsewhere",
]


class UnencryptedPasswordError(LearningStudioError):
    """A password login over plain http to another computer; nothing was sent."""

    exit_code = 2


def _parts(url: str) -> tuple[str, str | None]:
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower(), parts.hostname
    except ValueError:
        return "", None


def is_plain_http_elsewhere(url: str) -> bool:
    """True for an ``http://`` URL to another computer (what travels there is readable)."""
    scheme, host = _parts(url)
    return scheme == "http" and not is_loopback_host(host)


def check_password_transport(*urls: str) -> None:
    """Raise :class:`UnencryptedPasswordError` if a password would go to any of ``urls``
    unencrypted across the network."""
    for url in urls:
        if is_plain_http_elsewhere(url):
            scheme, host = _parts(url)
            raise UnencryptedPasswordError(
                f"Nothing was sent: {scheme}://{host} is not encrypted (http), so logging in "
                "with a password would send it in clear text across the network. Use the "
                "server's https:// address."
            )


def check_entry_url(url: str) -> str:
    """``url`` if it is safe to open in a browser; else :class:`ServerError` naming it."""
    scheme, host = _parts(url)
    if scheme == "https" and host:
        return url
    if scheme == "http" and is_loopback_host(host):
        return url
    shown = url.strip()[:80] or "an empty address"
    raise ServerError(
        f"LearningStudio sent a course link that is not a web address this app opens "
        f"({shown!r}): only https:// links are opened. Nothing was opened; tell your "
        "LearningStudio administrator."
    )
