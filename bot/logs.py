"""Logging set-up: ids, never message texts, and never a secret, whoever writes the line.

PTB and httpx put the bot token in what they log (request URLs, ``InvalidToken``'s message, the
traceback of a failed request). A filter on every handler replaces the secrets we know of, and
anything shaped like a bot token, before a line is written: the libraries' lines included.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# A bot token as BotFather gives it (also inside a URL: /bot<token>/getMe).
_TOKEN_SHAPE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{30,}")
REDACTED = "[redacted]"


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without the given secrets and without anything shaped like a bot token."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return _TOKEN_SHAPE.sub(REDACTED, text)


class RedactSecrets(logging.Filter):
    """Rewrites each record's message and traceback text with the secrets taken out."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s and len(s) >= 8)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: let logging report it as it would
            return True
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def configure_logging(level: str | int, secrets: Iterable[str] = ()) -> None:
    """Log lines with ids, never message texts nor secrets; quiet the libraries that would say too much."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redactor = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactSecrets)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    # Do not log request URLs: they carry the bot token (redacted anyway, but they would flood the log).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # The reminder job runs every few seconds: its "Running job" lines would drown the rest.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
