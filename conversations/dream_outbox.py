"""The dream-image template in the outbox (bot/outbox.py): drawn from the database when it goes.

/droombeelden in the group queues one per member in the transaction that starts the collection
(conversations/dreams.py); a member who joins later gets one queued too.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.context import Services
from bot.keyboards.dreams import template_keyboard
from bot.outbox import Drawn, Kind, register
from conversations import dreams as collecting
from storage import dreams, reminders
from storage.outbox import OutboxRecord


async def draw_template(services: Services, row: OutboxRecord) -> Drawn | None:
    assert row.trajectory_id is not None
    view = await services.db.run(dreams.member_dreams, row.trajectory_id, row.chat_id, collecting.now())
    if view is None or not view.open:
        return None  # published meanwhile, or no longer a member: not owed
    keyboard = template_keyboard(services.texts, view.language, view)
    return Drawn(collecting.template_text(services, view), keyboard)  # type: ignore[arg-type]  # it reads .texts only


def _unreachable(session: Session, row: OutboxRecord) -> None:
    if row.person_id is not None:
        reminders.mark_unreachable(session, row.person_id)


register("dream_template", Kind(draw=draw_template, failed=_unreachable))
