"""The numbers callback data may carry: only ones the database can hold.

Row ids are INTEGER columns (at most 2 147 483 647 on PostgreSQL); a Telegram user id is at most
2^52. Patterns take ``ROW_ID`` (1-10 ASCII digits) or ``USER_ID`` (1-16); ``out_of_range`` is the
range check the guard runs on every press before any pattern sees it (bot/guards.py), so a forged
``vote:100000000000000000000:1:1`` is answered plainly instead of failing in the database.
"""

from __future__ import annotations

import re

ROW_ID = r"([0-9]{1,10})"
USER_ID = r"([0-9]{1,16})"
MAX_ROW_ID = 2**31 - 1
MAX_USER_ID = 2**52
# Callback namespaces whose field (counted from 0, after the namespace) is a Telegram user id.
_USER_FIELDS = {"mod": {2}, "mtk": {2}}
_NUMBER = re.compile(r"[0-9]+")


def out_of_range(data: str) -> bool:
    """True when a number in ``data`` is larger than the column it names can hold."""
    parts = data.split(":")
    users = _USER_FIELDS.get(parts[0], set())
    for index, part in enumerate(parts):
        limit = MAX_USER_ID if index in users else MAX_ROW_ID
        for number in _NUMBER.findall(part):
            if len(number) > 17 or int(number) > limit:
                return True
    return False
