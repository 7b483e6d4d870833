"""The one redaction of logs, error messages and ``schedctl`` output."""

from __future__ import annotations

from scheduler_gui.core.redaction import redact, register_secret


def test_a_registered_secret_is_hidden_also_url_encoded() -> None:
    register_secret("p@ss word&42-long-enough")
    text = "sent p@ss word&42-long-enough, as form p%40ss+word%2642-long-enough"
    assert redact(text) == "sent ***, as form ***"


def test_a_short_secret_is_hidden_as_a_word_not_inside_other_words() -> None:
    register_secret("adm1n")
    assert redact("user zq with adm1n not known") == "user zq with *** not known"
    assert redact("ask the adm1nistrator") == "ask the adm1nistrator"


def test_token_like_values_are_hidden_without_registration() -> None:
    assert redact("access_token=abc123&x=1") == "access_token=***&x=1"
    assert redact("Authorization: Bearer eyJhbGciOi") == "Authorization: Bearer ***"
