"""No log line carries the token or another secret, whoever writes it: PTB's and httpx's own lines,
and the traceback of a failed request."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from telegram.error import InvalidToken

from bot.logs import REDACTED, RedactSecrets, configure_logging

TOKEN = "123456789:AAHsecretSecretSecretSecret_abcdefgh"
WEBHOOK_SECRET = "webhook-Secret-Value-1234"


@pytest.fixture
def handler() -> Iterator[logging.Handler]:
    """A handler on the root logger that formats what it gets, as the process's stderr handler would."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    keep = Keep()
    keep.lines = lines  # type: ignore[attr-defined]
    root = logging.getLogger()
    root.addHandler(keep)
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "telegram.ext")}
    yield keep
    root.removeHandler(keep)
    for other in root.handlers:  # configure_logging's filter, on pytest's handlers too
        for found in [f for f in other.filters if isinstance(f, RedactSecrets)]:
            other.removeFilter(found)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_library_lines_and_tracebacks_lose_the_secrets(handler: logging.Handler) -> None:
    configure_logging(logging.INFO, [TOKEN, WEBHOOK_SECRET])
    logging.getLogger("httpx").setLevel(logging.INFO)  # as a debugging operator might
    logging.getLogger("httpx").info(
        'HTTP Request: POST %s "HTTP/1.1 200 OK"', f"https://api.telegram.org/bot{TOKEN}/getMe"
    )
    try:
        raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    except InvalidToken:
        logging.getLogger("telegram.ext.Application").exception("Error while getting Updates")
    logging.getLogger("kopgroep.webhook").warning("secret %s", WEBHOOK_SECRET)
    # Another token shape than ours (a second bot's): redacted by its shape.
    logging.getLogger("telegram.ext.Updater").error("url /bot555555:BBotherOtherOtherOther_other123456/getUpdates")
    text = "\n".join(handler.lines)  # type: ignore[attr-defined]
    assert "getMe" in text and "was rejected" in text and "Traceback" in text  # the lines are there
    assert TOKEN not in text and TOKEN.split(":")[1] not in text
    assert WEBHOOK_SECRET not in text and "BBotherOtherOther" not in text
    assert text.count(REDACTED) == 4
