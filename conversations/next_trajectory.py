"""/nieuwtraject: the next trajectory in the same group, starting from the parked themes (issue 21).

Only a moderator, and only after /afsluiten. The group gets a new trajectory; the closed one stays
readable (/rapport vorig, /uitslag vorig, /vorigtraject) and keeps its own retention clock. Every
member of the closed trajectory gets one private button to take part again; newcomers join with
the group's new "Doe mee" link. The parked themes come back as candidates, shown with their
figures of last time; the chosen themes and their goals are shown as "vorig traject".
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.guards import moderator_only, registered_group
from bot.keyboards.common import join_keyboard
from bot.messaging import edit_html, send_html
from storage import next_trajectory
from storage.models import utcnow

log = logging.getLogger("kopgroep.next_trajectory")

CONFIRM_PATTERN = r"^ntj:(\d{1,12})$"  # a member of the closed trajectory takes part in the new one


def now():  # noqa: ANN201 - replaced in tests
    return utcnow()


@moderator_only
async def next_command(update: Update, context: BotContext) -> None:
    """/nieuwtraject: a new trajectory in this group, after the current one was closed."""
    user = update.effective_user
    assert user is not None
    trajectory = context.trajectory
    outcome = await context.db.run(next_trajectory.start, trajectory.chat_id, user.id, now())
    if outcome.status != "ok" or outcome.trajectory is None:
        await send_html(context.bot, trajectory.chat_id, context.render("next_trajectory/problem", code=outcome.status))
        return
    new = outcome.trajectory
    lang = new.language
    text = context.texts.render(
        lang, "next_trajectory/started", view=outcome.view, trajectory=new, timezone=new.timezone
    )
    keyboard = join_keyboard(context.texts, lang, context.bot.username, new.join_token)
    await send_html(context.bot, new.chat_id, text, reply_markup=keyboard)
    unreached = 0
    for telegram_id, language in outcome.invite:
        member_lang = context.texts.lang(language)
        invitation = context.texts.render(member_lang, "next_trajectory/invitation", trajectory=new, view=outcome.view)
        button = InlineKeyboardButton(
            context.texts.label(member_lang, "next_trajectory.button.confirm"), callback_data=f"ntj:{new.id}"
        )
        try:
            await send_html(context.bot, telegram_id, invitation, reply_markup=InlineKeyboardMarkup([[button]]))
        except (Forbidden, BadRequest) as error:
            log.info("invitation to trajectory %s not delivered: %s", new.id, error)
            unreached += 1
    if unreached:
        await send_html(
            context.bot, new.chat_id, context.texts.render(lang, "next_trajectory/unreached", count=unreached)
        )


async def confirm_pressed(update: Update, context: BotContext) -> None:
    """ntj:<trajectory>: one press to take part in the new trajectory (checked against the tables)."""
    query = update.callback_query
    assert query is not None
    trajectory_id = int(context.matches[0].group(1))
    status = await context.db.run(next_trajectory.confirm, trajectory_id, query.from_user.id, now())
    if status not in ("ok", "already"):
        await query.answer(context.label(f"next_trajectory.alert.{status}"), show_alert=True)
        return
    await query.answer()
    await edit_html(query, context.render("next_trajectory/confirmed"))


@registered_group
async def previous_command(update: Update, context: BotContext) -> None:
    """/vorigtraject: the trajectory before this one, its chosen themes and goals, the themes brought back."""
    trajectory = context.trajectory
    view = await context.db.run(next_trajectory.view, trajectory.id)
    if view is None:
        await send_html(context.bot, trajectory.chat_id, context.render("next_trajectory/no_previous"))
        return
    text = context.texts.render(
        trajectory.language, "next_trajectory/previous", view=view, timezone=trajectory.timezone
    )
    await send_html(context.bot, trajectory.chat_id, text)


def handlers() -> list:
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("nieuwtraject", next_command, filters=groups),
        CommandHandler("vorigtraject", previous_command, filters=groups),
        CallbackQueryHandler(confirm_pressed, pattern=CONFIRM_PATTERN),
    ]
