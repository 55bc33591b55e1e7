"""/taal: the group's language (moderator) or the language of one's private chat."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.config import LANGUAGES
from bot.context import BotContext, telegram_user
from bot.guards import moderator_only
from bot.keyboards import LANGUAGE_PATTERN, language_keyboard
from bot.menus import private_menu, refresh_group
from bot.messaging import edit_html, send_html
from storage import people, trajectories


@moderator_only
async def group_language(update: Update, context: BotContext) -> None:
    """/taal [nl|en] in the group: switch at once, or offer buttons."""
    trajectory = context.trajectory
    choice = (context.args or [None])[0]
    if choice is None:
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render("language/choose", scope="group"),
            reply_markup=language_keyboard(context.texts, context.lang, f"g{trajectory.id}"),
        )
        return
    if choice.lower() not in LANGUAGES:
        await send_html(context.bot, trajectory.chat_id, context.render("language/unknown"))
        return
    await context.db.run(trajectories.set_language, trajectory.id, choice.lower())
    await refresh_group(context.bot, context.texts, context.db, trajectory.id)
    await send_html(
        context.bot, trajectory.chat_id, context.render("language/changed", lang=choice.lower(), scope="group")
    )


async def private_language(update: Update, context: BotContext) -> None:
    """/taal [nl|en] in private: the language of this person's private chat."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    choice = (context.args or [None])[0]
    if choice is None:
        await send_html(
            context.bot,
            chat.id,
            context.render("language/choose", scope="private"),
            reply_markup=language_keyboard(context.texts, context.lang, "p"),
        )
        return
    if choice.lower() not in LANGUAGES:
        await send_html(context.bot, chat.id, context.render("language/unknown"))
        return
    await context.db.run(people.set_person_language, telegram_user(user), choice.lower())
    await private_menu(context.bot, context.texts, chat.id, choice.lower())
    await send_html(context.bot, chat.id, context.render("language/changed", lang=choice.lower(), scope="private"))


async def language_chosen(update: Update, context: BotContext) -> None:
    """A language button: lang:g<trajectory>:<code> (moderators only) or lang:p:<code>."""
    query = update.callback_query
    assert query is not None and query.message is not None
    scope, code = context.matches[0].groups()
    if scope == "p":
        if context.private is None:
            await query.answer(context.label("alert.stale"), show_alert=True)
            return
        await query.answer()
        await context.db.run(people.set_person_language, telegram_user(query.from_user), code)
        await private_menu(context.bot, context.texts, query.message.chat.id, code)
        await edit_html(query, context.render("language/changed", lang=code, scope="private"))
        return
    actor = context.actor
    if actor is None or actor.trajectory is None or scope != f"g{actor.trajectory.id}":
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    if not actor.is_moderator:
        await query.answer(context.label("alert.moderator_only"), show_alert=True)
        return
    await query.answer()
    await context.db.run(trajectories.set_language, actor.trajectory.id, code)
    await refresh_group(context.bot, context.texts, context.db, actor.trajectory.id)
    await edit_html(query, context.render("language/changed", lang=code, scope="group"))


def handlers() -> list:
    return [
        CommandHandler("taal", group_language, filters=filters.ChatType.GROUPS),
        CommandHandler("taal", private_language, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(language_chosen, pattern=LANGUAGE_PATTERN),
    ]
