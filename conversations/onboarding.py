"""Step 0: the bot joins a group, registers it as a steering group and learns the organisation's name."""

from __future__ import annotations

from telegram import ChatMember, ChatMemberUpdated, Update, User
from telegram.constants import ChatType
from telegram.ext import ChatMemberHandler, CommandHandler, filters

from bot.context import BotContext, telegram_user
from bot.guards import moderator_only
from bot.keyboards import join_keyboard, organisation_prompt
from bot.menus import refresh_group
from bot.messaging import send_html
from conversations.help import show_help
from method.text_input import clean_text
from storage import people, prompts, trajectories
from storage.records import PromptRecord, TelegramUser, TrajectoryRecord

ORGANISATION_PROMPT = "organisation"
MAX_ORGANISATION = 200

_PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED}


def _was_added(change: ChatMemberUpdated) -> bool | None:
    """True when the bot came in, False when it went out, None for other changes."""
    before = change.old_chat_member.status in _PRESENT
    after = change.new_chat_member.status in _PRESENT
    if change.new_chat_member.status == ChatMember.RESTRICTED:
        after = bool(getattr(change.new_chat_member, "is_member", True))
    if before == after:
        return None
    return after


async def bot_membership_changed(update: Update, context: BotContext) -> None:
    """The bot was added to or removed from a group: register it, or mark it inactive."""
    change = update.my_chat_member
    if change is None or change.chat.type == ChatType.PRIVATE:
        # In private chats this means the user blocked or unblocked the bot.
        if change is not None:
            blocked = change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT)
            await context.db.run(people.mark_reachable, telegram_user(change.from_user), not blocked)
        return
    added = _was_added(change)
    if added is False:
        await context.db.run(trajectories.deactivate_group, change.chat.id)
        return
    if added:
        await register(update, context, change.chat.id, change.chat.title or "", change.from_user)


async def register(update: Update, context: BotContext, chat_id: int, title: str, by_user: User) -> None:
    """Register the group (or welcome it back), post the join button and ask the organisation."""
    settings = context.services.settings
    trajectory, created = await context.db.run(
        trajectories.register_group,
        chat_id,
        title,
        telegram_user(by_user),
        language=settings.language,
        timezone=settings.timezone,
    )
    lang = trajectory.language
    moderator = telegram_user(by_user)
    await refresh_group(context.bot, context.texts, context.db, trajectory.id)
    keyboard = join_keyboard(context.texts, lang, context.bot.username, trajectory.join_token)
    if not created:
        await send_html(
            context.bot, chat_id, context.render("onboarding/welcome_back", lang=lang), reply_markup=keyboard
        )
        if trajectory.organisation:
            return
    else:
        await send_html(
            context.bot,
            chat_id,
            context.render("onboarding/welcome", lang=lang, moderator=moderator),
            reply_markup=keyboard,
        )
    await ask_organisation(context, trajectory, moderator)


async def ask_organisation(context: BotContext, trajectory: TrajectoryRecord, moderator: TelegramUser) -> None:
    """Ask the moderator for the organisation's name as a forced reply, and remember we asked."""
    text = context.render("onboarding/ask_organisation", lang=trajectory.language, moderator=moderator)
    (message,) = await send_html(context.bot, trajectory.chat_id, text, reply_markup=organisation_prompt())
    await context.db.run(
        prompts.ask, trajectory.id, trajectory.chat_id, ORGANISATION_PROMPT, message_id=message.message_id
    )


async def start_in_group(update: Update, context: BotContext) -> None:
    """/start in a group the bot does not know yet: an admin registers it (the bot missed being added)."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    if context.actor is not None and context.actor.trajectory is not None:
        await show_help(update, context)
        return
    member = await context.bot.get_chat_member(chat.id, user.id)
    if member.status not in (ChatMember.ADMINISTRATOR, ChatMember.OWNER):
        await send_html(context.bot, chat.id, context.render("onboarding/admin_needed"))
        return
    await register(update, context, chat.id, chat.title or "", user)


@moderator_only
async def organisation_command(update: Update, context: BotContext) -> None:
    """/organisatie <naam>: set the name directly, or be asked for it."""
    assert context.actor is not None and context.actor.trajectory is not None
    assert update.effective_user is not None
    name = " ".join(context.args or [])
    if not name.strip():
        await ask_organisation(context, context.actor.trajectory, telegram_user(update.effective_user))
        return
    await save_organisation(update, context, context.actor.trajectory, name)


async def organisation_reply(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """A moderator's reply to "what is the organisation?" (conversations/answers.py)."""
    message = update.effective_message
    assert message is not None
    await save_organisation(update, context, context.trajectory, message.text or "")
    return True


async def save_organisation(update: Update, context: BotContext, trajectory: TrajectoryRecord, raw: str) -> None:
    """Check and store the name; a bad one gets a clear message and changes nothing."""
    # clean_text keeps emoji whole (their joiners are format characters, not control ones).
    cleaned = clean_text(raw, MAX_ORGANISATION, single_line=True)
    chat_id = trajectory.chat_id
    if cleaned.value is None:
        await send_html(
            context.bot,
            chat_id,
            context.render("onboarding/organisation_invalid", reason=cleaned.problem, limit=MAX_ORGANISATION),
        )
        return
    name = cleaned.value
    await context.db.run(trajectories.set_organisation, trajectory.id, name, answered_prompt=ORGANISATION_PROMPT)
    await send_html(context.bot, chat_id, context.render("onboarding/organisation_set", organisation=name))


def handlers() -> list:
    """In order; registered by bot/app.py."""
    groups = filters.ChatType.GROUPS
    return [
        ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        CommandHandler("start", start_in_group, filters=groups),
        CommandHandler("organisatie", organisation_command, filters=groups),
    ]
