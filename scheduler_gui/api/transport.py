"""How the client meets the network: its TLS context, and a plain error for a request
that got no HTTP answer (certificate, timeout, refused or broken connection)."""

from __future__ import annotations

import ssl
from os import PathLike
from pathlib import Path

import httpx

from .errors import NetworkError


def is_certificate_error(exc: httpx.TransportError) -> bool:
    """True if TLS verification failed (retrying cannot help)."""
    return "CERTIFICATE_VERIFY_FAILED" in str(exc) or isinstance(
        exc.__context__, ssl.SSLCertVerificationError
    )


def network_error(
    exc: httpx.TransportError, method: str, url: str, timeout: float | None = None
) -> NetworkError:
    """A user-facing error for a request that got no (whole) HTTP answer."""
    if isinstance(exc, httpx.TimeoutException):
        within = f" within {timeout:g} seconds" if timeout else ""
        message = (
            f"The LearningStudio server did not answer in time (not all of it{within}). "
            "Try again, or raise the timeout in the settings."
        )
    elif is_certificate_error(exc):
        message = (
            "The server's certificate could not be verified. If your institution uses its "
            "own certificate authority, set its CA bundle file in the settings."
        )
    elif isinstance(exc, httpx.ConnectError):
        # Name the server: a forgotten LS_BASE_URL means the default one was tried.
        try:
            parts = httpx.URL(url)
            server = f" at {parts.scheme}://{parts.host}" + (f":{parts.port}" if parts.port else "")
        except (httpx.InvalidURL, TypeError):
            server = ""
        message = (
            f"Could not reach the LearningStudio server{server}. "
            "Check the network connection and the base URL, then try again."
        )
    else:
        message = (
            "The connection to the LearningStudio server broke off before it answered. "
            "Try again; if it keeps happening, check the network."
        )
    return NetworkError(message, None, None, method, url)


def tls_context(verify: bool | str | PathLike[str], *, https: bool = True) -> ssl.SSLContext:
    """The certificate checks of a client: the system's CAs, or the CA bundle ``verify``.

    ``https=False`` (a client of a plain-http server, such as the sandbox on loopback)
    loads no CA at all: reading the system's CA store costs ~25 ms of every start, and
    plain http never checks a certificate. That context trusts nothing, so a TLS
    connection there (which the client never makes) fails closed.
    """
    if verify is False:
        raise ValueError(
            "Certificate checks cannot be turned off. Set a CA bundle file for a private CA."
        )
    path = None if verify is True else Path(verify)
    if path is not None and not path.is_file():
        raise NetworkError(f"The CA bundle {path} does not exist. Fix the CA bundle setting.")
    if not https:
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # hostname and chain checked
    return ssl.create_default_context(cafile=None if path is None else str(path))
