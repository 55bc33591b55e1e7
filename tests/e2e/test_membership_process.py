"""End to end over HTTP: only the group's members get in, leavers get nothing, a returning former
moderator is a member, a closed trajectory is read-only; the real bot process, the fake Bot API."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_telegram.waiting import wait_for_bot_message_sync
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from storage.models import Theme, Trajectory
from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)
from tests.e2e.test_voting_process import add_themes


def registered_group(core, names: tuple[str, ...], *, language: str = "nl"):  # type: ignore[no-untyped-def]
    """A group with the bot; the first name is creator and moderator; everyone joined by the link."""
    group = core.add_group("Kopgroep")
    people = {name: core.add_user(name) for name in names}
    for index, person in enumerate(people.values()):
        core.add_member(group, person, "creator" if index == 0 else "member")
    first = people[names[0]]
    core.add_bot_to_group(group, first)
    welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
    if language != "nl":
        core.send_message(first, group, f"/taal {language}")
        wait_for_bot_message_sync(core, group["id"], contains="I speak English")
    link = welcome["reply_markup"]["inline_keyboard"][0][0]["url"]
    for person in people.values():
        core.open_link(person, link)
        wait_for_bot_message_sync(core, person["id"], contains="Welcome" if language == "en" else "Welkom")
    return group, people, link


def refused_calls(core) -> list:  # type: ignore[no-untyped-def]
    return [(c.method, c.error) for c in core.calls if not c.ok and c.method != "getUpdates"]


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("nl", "Je kan alleen meedoen als je lid bent van de Telegram-groep van deze kopgroep."),
        ("en", "You can only join if you are a member of this steering group's Telegram group."),
    ],
)
def test_an_outsider_with_the_link_is_refused(
    fake_server,  # noqa: F811
    database_url: str,
    tmp_path: Path,
    language: str,
    refusal: str,
) -> None:
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path, SCREEN_LISTEN="off")
    try:
        group, people, link = registered_group(core, ("Anne", "Bart"), language=language)
        outsider = core.add_user("Olaf")  # the link was forwarded to him; he is not in the group
        core.open_link(outsider, link)
        answer = wait_for_bot_message_sync(core, outsider["id"], contains=refusal)
        assert answer["text"].startswith(refusal)
        add_themes(database_url, group["id"])
        core.send_message(people["Anne"], group, "/stemronde")
        wait_for_bot_message_sync(core, people["Bart"]["id"], contains="Ballot" if language == "en" else "Stembiljet")
        assert all("vote:" not in str(m.get("reply_markup")) for m in core.sent_messages(outsider["id"]))
    finally:
        stop_bot(process)
    assert refused_calls(core) == []


def test_a_leaver_gets_no_ballot_and_a_returning_moderator_is_a_member(
    fake_server,  # noqa: F811
    database_url: str,
    tmp_path: Path,
) -> None:
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path, SCREEN_LISTEN="off")
    try:
        group, people, _ = registered_group(core, ("Anne", "Bart", "Chris", "Dirk"))
        anne, bart, chris, dirk = (people[n] for n in ("Anne", "Bart", "Chris", "Dirk"))
        add_themes(database_url, group["id"])
        # Bart becomes co-moderator (he is a group admin).
        core.set_member_status(group, bart, "administrator")
        core.send_message(anne, group, "/moderator")
        pick = wait_for_bot_message_sync(core, group["id"], contains="Wie wordt co-moderator")
        core.press_button(anne, pick, text="Bart")
        wait_for_bot_message_sync(core, group["id"], contains="Bart is nu ook moderator")
        # Chris leaves the group ("Chris left"); Anne removes Dirk (a chat_member update).
        core.leave_group(group, chris)
        core.member_event(group, dirk, "kicked", by=anne)
        # Bart leaves too, comes back, and says hallo.
        core.leave_group(group, bart)
        wait_for_bot_message_sync(core, group["id"], contains="Bart heeft de groep verlaten en is geen moderator meer")
        core.join_group(group, bart)
        core.send_message(bart, group, "hallo")
        core.send_message(anne, group, "/stemronde")
        wait_for_bot_message_sync(core, group["id"], contains="0 van 2 leden hebben gestemd")
        wait_for_bot_message_sync(core, anne["id"], contains="Stembiljet")
        wait_for_bot_message_sync(core, bart["id"], contains="Stembiljet")
        for gone in (chris, dirk):
            assert all("vote:" not in str(m.get("reply_markup")) for m in core.sent_messages(gone["id"])), gone
        # Back as a member: no moderator command.
        since = len(core.sent_messages(group["id"]))
        core.send_message(bart, group, "/sluitronde forceer")
        answer = wait_for_bot_message_sync(core, group["id"], since=since)
        assert answer["text"] == "Dat kan alleen de moderator van de kopgroep."
        core.send_message(bart, group, "/catalogus")
        answer = wait_for_bot_message_sync(core, group["id"], since=since + 1)
        assert answer["text"] == "Dat kan alleen de moderator van de kopgroep."
    finally:
        stop_bot(process)
    assert refused_calls(core) == []


def test_catalogue_after_closing(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path, SCREEN_LISTEN="off")
    try:
        group, people, _ = registered_group(core, ("Anne", "Bart"))
        anne = people["Anne"]
        core.send_message(anne, group, "/afsluiten")
        ask = wait_for_bot_message_sync(core, group["id"], contains="Het traject afsluiten?")
        core.press_button(anne, ask, ask["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
        wait_for_bot_message_sync(core, group["id"], contains="Het MVO-traject is afgesloten")
        core.send_message(anne, group, "/catalogus")
        refusal = wait_for_bot_message_sync(core, group["id"], contains="Deze kopgroep werd afgesloten")
        assert "/rapport" in refusal["text"] and "/export" in refusal["text"] and "/mijngegevens" in refusal["text"]
    finally:
        stop_bot(process)
    engine = create_engine(database_url)
    with Session(engine) as session:
        trajectory_id = session.scalar(select(Trajectory.id).where(Trajectory.chat_id == group["id"]))
        assert session.scalar(select(func.count()).select_from(Theme).where(Theme.trajectory_id == trajectory_id)) == 0
    engine.dispose()
    assert refused_calls(core) == []
