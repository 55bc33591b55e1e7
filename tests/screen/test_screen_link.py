"""The screen's token: signed, unguessable, and refused when anything in it changes."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from method.screen_link import make_token, new_secret, read_token, screen_key, secret_hash

KEY = screen_key(b"test-ballot-secret-0123456789abcdef0123456789")


def test_a_token_reads_back_to_its_link_and_the_hash_of_its_secret() -> None:
    secret = new_secret()
    token = make_token(KEY, 42, secret)
    parts = read_token(KEY, token)
    assert parts is not None and parts.link_id == 42 and parts.secret_hash == secret_hash(secret)
    assert secret not in parts.secret_hash  # the database gets a hash, not the secret


def test_every_single_character_changed_is_refused() -> None:
    token = make_token(KEY, 7, new_secret())
    alphabet = string.ascii_letters + string.digits + "-_."
    for index, char in enumerate(token):
        for other in alphabet:
            if other != char:
                assert read_token(KEY, token[:index] + other + token[index + 1:]) is None, (index, other)


def test_another_key_another_link_number_and_bad_shapes_are_refused() -> None:
    secret = new_secret()
    token = make_token(KEY, 7, secret)
    assert read_token(screen_key(b"another installation's secret, 32 chars+"), token) is None
    assert read_token(KEY, token.replace("7.", "8.", 1)) is None  # the id is signed too
    for bad in ("", "7", "7..", f"07.{secret}.x", token + "A", token[:-1], "x" * 200, f"-7.{secret}.{token.rsplit('.', 1)[1]}"):
        assert read_token(KEY, bad) is None, bad


def test_the_key_is_not_the_ballot_key() -> None:
    secret = b"test-ballot-secret-0123456789abcdef0123456789"
    assert screen_key(secret) != secret and len(screen_key(secret)) == 32


@given(st.text(max_size=80))
def test_no_made_up_text_passes(text: str) -> None:
    assert read_token(KEY, text) is None


def test_secrets_do_not_repeat() -> None:
    assert len({new_secret() for _ in range(1000)}) == 1000
