"""Is this person in the Telegram group now? One check for joining and for every private send.

Only the group's members get in: the "Doe mee" link is checked with Telegram (getChatMember)
before anyone joins, and every ballot, dream-image template, closing question and feedback is
checked again just before the bot sends it (``may_receive``). Answers are kept a short while, so
a round opening in 300 groups asks Telegram once per member, not once per message; leave and
arrival events of the group overwrite the kept answer at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from telegram import Bot, ChatMember
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from storage import membership
from storage.membership import Leaving

if TYPE_CHECKING:
    from bot.context import Services

log = logging.getLogger(__name__)

_PRESENT = (ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER)
_ADMIN = (ChatMember.OWNER, ChatMember.ADMINISTRATOR)
TTL_SECONDS = 120.0
_MAX_KEPT = 50_000  # 300 groups of 25 with room; beyond it the oldest answers go


def present(member: ChatMember) -> bool:
    """In the group now: creator, administrator, member, or restricted but still a member."""
    if member.status in _PRESENT:
        return True
    return member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))


class MembershipCache:
    """Telegram's recent answers per (chat, user): present or not, until they expire."""

    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.clock = ttl, clock
        self._kept: dict[tuple[int, int], tuple[bool, float]] = {}

    def get(self, chat_id: int, user_id: int) -> bool | None:
        found = self._kept.get((chat_id, user_id))
        if found is None or found[1] <= self.clock():
            return None
        return found[0]

    def clear(self) -> None:
        self._kept.clear()

    def put(self, chat_id: int, user_id: int, is_present: bool) -> None:
        if len(self._kept) >= _MAX_KEPT:
            now = self.clock()
            self._kept = {key: value for key, value in self._kept.items() if value[1] > now}
            if len(self._kept) >= _MAX_KEPT:
                self._kept.pop(next(iter(self._kept)))
        self._kept[(chat_id, user_id)] = (is_present, self.clock() + self.ttl)


async def in_group(bot: Bot, services: Services, chat_id: int, user_id: int) -> bool | None:
    """True or False as Telegram says; None when Telegram could not answer (try again later)."""
    kept = services.membership.get(chat_id, user_id)
    if kept is not None:
        return kept
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except BadRequest as error:
        if "chat not found" in error.message.lower():
            return None  # the group is gone or the bot is out of it: Telegram cannot tell
        answer = False  # "user not found", "participant id invalid": not in this group
    except (Forbidden, RetryAfter, NetworkError) as error:
        log.info("membership of user %s in chat %s unknown: %s", user_id, chat_id, type(error).__name__)
        return None
    else:
        answer = present(member)
    services.membership.put(chat_id, user_id, answer)
    return answer


async def is_admin(bot: Bot, chat_id: int, user_id: int) -> bool:
    """A group admin (creator or administrator) according to Telegram now; no cache: it grants a role."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except BadRequest:
        return False
    return member.status in _ADMIN


async def may_receive(
    bot: Bot, services: Services, trajectory_id: int, telegram_id: int, *, chat_id: int | None = None
) -> bool:
    """Check just before a private send to a member: True to send it.

    A member Telegram says is gone is recorded as having left (``record_left``) and gets nothing.
    When Telegram cannot answer, the recorded membership stands: the caller only sends to joined
    members, and the group's leave events keep that record current. ``chat_id``: the group's chat
    when the caller has it (no query then)."""
    chat_id = chat_id if chat_id is not None else await services.db.run(membership.chat_of, trajectory_id)
    if chat_id is None:
        return False
    if await in_group(bot, services, chat_id, telegram_id) is not False:
        return True
    log.info("user %s is no longer in the group of trajectory %s: nothing sent", telegram_id, trajectory_id)
    await record_left(services, chat_id, telegram_id)
    return False


async def record_left(services: Services, chat_id: int, telegram_id: int) -> Leaving | None:
    """The person left the group (a leave event, or Telegram said so): records and cache follow."""
    services.membership.put(chat_id, telegram_id, False)
    return await services.db.run(membership.leave_chat, chat_id, telegram_id)


def record_arrived(services: Services, chat_id: int, telegram_id: int) -> None:
    """The person is (back) in the group: the kept answer follows at once."""
    services.membership.put(chat_id, telegram_id, True)
