"""HTTPS over loopback: certificate checks stay on; a private CA is a setting."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from scheduler_gui.api.client import LearningStudioClient, RetryPolicy
from scheduler_gui.api.errors import NetworkError
from scheduler_gui.api.transport import tls_context
from tests.helpers import JsonHandler, loopback_server


def _cert(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name | None,
    signer: ec.EllipticCurvePrivateKey,
    *,
    ca: bool,
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer or name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return builder.sign(signer, hashes.SHA256())


class Hello(JsonHandler):
    def do_GET(self) -> None:
        self.answer(200, {"me": {"id": 1, "userName": "prof"}})


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("Test Campus CA", ca_key, None, ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = _cert("127.0.0.1", key, ca.subject, ca_key, ca=False)
    ca_file, cert_file, key_file = tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    with loopback_server(Hello, tls=context) as server:
        yield f"https://127.0.0.1:{server.server_address[1]}", ca_file


def test_unknown_certificate_is_refused_and_not_retried(https_server: tuple[str, Path]) -> None:
    url, _ca = https_server
    sleeps: list[float] = []
    with (
        LearningStudioClient(url, None, retry=RetryPolicy(), sleep=sleeps.append) as client,
        pytest.raises(NetworkError, match="certificate could not be verified") as caught,
    ):
        client.me()
    assert sleeps == [] and "CA bundle" in str(caught.value)


def test_a_custom_ca_bundle_makes_the_private_server_trusted(
    https_server: tuple[str, Path],
) -> None:
    url, ca = https_server
    with LearningStudioClient(url, None, verify=ca) as client:
        assert client.me() == {"id": 1, "userName": "prof"}


def test_a_plain_http_client_reads_no_ca_store_and_any_tls_through_it_fails_closed(
    https_server: tuple[str, Path],
) -> None:
    url, ca = https_server
    for verify in (True, ca):  # even with the private server's own CA as the setting
        context = tls_context(verify, https=False)
        assert context.cert_store_stats()["x509_ca"] == 0  # nothing read at start-up
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        with httpx.Client(verify=context) as http, pytest.raises(httpx.ConnectError):
            http.get(url + "/me")
    assert tls_context(ca).cert_store_stats()["x509_ca"] == 1  # an https client reads it
