"""End to end over HTTP: steps 1-3 with the real bot process in English, on both databases:
a catalogue, a scan import, the synthesis, and an anonymous dialogue question."""

from __future__ import annotations

from pathlib import Path

from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync

from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)

SCAN = b"name;sdgs;maturity;strengths\nMobility;11 13;1,5;Good bus links\n"


def test_themes_synthesis_and_anonymous_dialogue_over_http(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path, LANGUAGE="en")
    try:
        group = core.add_group("Steering group")
        anne, bart, chris = core.add_user("Anne", language_code="en"), core.add_user("Bart"), core.add_user("Chris")
        core.add_member(group, anne, "creator")
        core.add_member(group, bart)
        core.add_member(group, chris)
        core.add_bot_to_group(group, anne, as_admin=True)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Taking part?")
        for person in (anne, bart, chris):
            core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
            wait_for_bot_message_sync(core, person["id"], contains="Welcome")

        core.send_message(anne, group, "/catalogus")
        pick = wait_for_bot_message_sync(core, group["id"], contains="Which list")
        core.press_button(anne, pick, text="ISO 26000")
        wait_for_bot_message_sync(core, group["id"], contains="7 themes added from ISO 26000")

        core.send_message(anne, group, "/importeer")
        question = wait_for_bot_message_sync(core, group["id"], contains="Send the MVO scan file")
        core.send_document(anne, group, "scan.csv", SCAN, "text/csv", reply_to_message_id=question["message_id"])
        wait_for_bot_message_sync(core, group["id"], contains="The MVO scan is read in: 1 theme")

        core.send_message(anne, group, "/sessie")
        synthesis = wait_for_bot_message_sync(core, group["id"], contains="Where are we?")
        assert "✅ 1. Define the candidate themes" in synthesis["text"]
        assert "Strengths (MVO scan): Mobility: Good bus links" in synthesis["text"]
        wait_for_sync(core, lambda c: c.calls_of("pinChatMessage"))

        seen = len(core.sent_messages(group["id"]))
        core.send_message(anne, group, "/dialoog anonymous")
        # The question must be out before anyone answers it (the synthesis above also holds "1.").
        wait_for_bot_message_sync(core, group["id"], since=seen, contains="Question 1 of 8")
        core.send_message(bart, bart["id"], "Procurement, because we buy so much.")
        wait_for_bot_message_sync(core, bart["id"], contains="anonym")
        core.send_message(chris, chris["id"], "Accessibility <b>first</b>")
        wait_for_bot_message_sync(core, chris["id"], contains="anonym")
        seen = len(core.sent_messages(group["id"]))
        core.send_message(anne, group, "/volgende")
        digest = wait_for_sync(core, lambda c: next((m for m in c.sent_messages(group["id"])[seen:] if "Procurement" in (m.get("text") or "")), None))
        assert "Accessibility <b>first</b>" in digest["text"] and "Bart" not in digest["text"] and "Chris" not in digest["text"]
    finally:
        stop_bot(process)
    refused = [c for c in core.calls if not c.ok and c.method != "getUpdates"]
    assert not refused, [(c.method, c.error) for c in refused]
