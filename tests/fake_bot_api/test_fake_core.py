"""FakeTelegram state machine: chats, access rules, scripted users, methods, recording."""

from __future__ import annotations

import pytest
from fake_telegram import ApiError, FakeTelegram, Spec


def assert_required_fields(value, type_name):
    assert Spec.load().missing_required(value, type_name) == []


def api_error(core, method, params, files=None) -> ApiError:
    with pytest.raises(ApiError) as info:
        core.call(method, params, files)
    return info.value


def keyboard(*rows):
    return {"inline_keyboard": [[{"text": t, "callback_data": d} for t, d in row] for row in rows]}


def test_bot_identity_and_ids():
    core = FakeTelegram()
    assert core.bot["id"] == 123456789 and core.bot["is_bot"] is True
    assert core.call("getMe", {})["username"] == "kopgroep_test_bot"
    alice, bob = core.add_user("Alice"), core.add_user("Bob", last_name="B", username="bobby")
    assert (alice["id"], bob["id"]) == (1001, 1002)
    assert bob["username"] == "bobby" and alice["language_code"] == "nl"
    group = core.add_group("G")
    sgroup = core.add_group("S", supergroup=True)
    assert group["type"] == "group" and -(10**6) < group["id"] < 0
    assert sgroup["type"] == "supergroup" and str(sgroup["id"]).startswith("-100")
    assert len(str(sgroup["id"])) == 14


def test_user_must_start_the_bot_first(world):
    err = api_error(world.core, "sendMessage", {"chat_id": world.carol["id"], "text": "hoi"})
    assert (err.error_code, err.description) == (403, "Forbidden: bot can't initiate conversation with a user")
    world.core.send_message(world.carol, world.carol, "hallo")
    assert world.core.call("sendMessage", {"chat_id": world.carol["id"], "text": "hoi"})


def test_blocked_user(world):
    update = world.core.block_bot(world.alice)
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    err = api_error(world.core, "sendMessage", {"chat_id": world.alice["id"], "text": "hoi"})
    assert (err.error_code, err.description) == (403, "Forbidden: bot was blocked by the user")
    # writing to the bot again (restart) unblocks it
    world.core.send_message(world.alice, world.alice, "/start")
    assert world.core.call("sendMessage", {"chat_id": world.alice["id"], "text": "hoi"})


def test_unknown_chat_and_groups_without_bot(world):
    core = world.core
    err = api_error(core, "sendMessage", {"chat_id": -999, "text": "x"})
    assert err.description == "Bad Request: chat not found"
    other = core.add_group("Ander", supergroup=True)
    core.add_member(other, world.alice, "creator")
    assert api_error(core, "sendMessage", {"chat_id": other["id"], "text": "x"}).description == (
        "Bad Request: chat not found"
    )
    core.add_bot_to_group(other, world.alice)
    core.remove_bot_from_group(other, world.alice)
    err = api_error(core, "sendMessage", {"chat_id": other["id"], "text": "x"})
    assert (err.error_code, err.description) == (403, "Forbidden: bot was kicked from the supergroup chat")
    assert core.call("leaveChat", {"chat_id": world.group["id"]}) is True
    err = api_error(core, "sendMessage", {"chat_id": world.group["id"], "text": "x"})
    assert err.description == "Forbidden: bot is not a member of the group chat"


def test_add_bot_to_group_updates(core):
    alice = core.add_user("Alice")
    group = core.add_group("Groep Zottegem")
    with pytest.raises(ValueError):
        core.add_bot_to_group(group, alice)  # Alice is not in the group
    core.add_member(group, alice, "administrator")
    first = core.add_bot_to_group(group, alice, as_admin=True)
    updates = core.pending_updates()
    assert [list(u)[1] for u in updates] == ["my_chat_member", "message"]
    assert updates[0] == first
    change = first["my_chat_member"]
    assert change["old_chat_member"]["status"] == "left"
    assert change["new_chat_member"]["status"] == "administrator"
    assert change["from"]["id"] == alice["id"]
    assert updates[1]["message"]["new_chat_members"][0]["id"] == core.bot["id"]
    assert updates[1]["update_id"] == first["update_id"] + 1
    assert core.call("getChatMemberCount", {"chat_id": group["id"]}) == 2
    assert_required_fields(first, "Update")


def test_commands_entities_and_privacy_mode(world):
    core, group = world.core, world.group
    update = core.send_message(world.bob, group, "/leden@kopgroep_test_bot extra")
    assert update["message"]["entities"] == [
        {"type": "bot_command", "offset": 0, "length": len("/leden@kopgroep_test_bot")}
    ]
    assert core.send_message(world.bob, group, "gewoon praten") is None
    assert core.send_message(world.bob, group, "/start@other_bot") is None
    sent = core.call("sendMessage", {"chat_id": group["id"], "text": "Vraag?"})
    reply = core.send_message(world.bob, group, "antwoord", reply_to_message_id=sent["message_id"])
    assert reply["message"]["reply_to_message"]["text"] == "Vraag?"
    assert_required_fields(reply, "Update")
    # without privacy mode (or as admin) every group message reaches the bot
    open_core = FakeTelegram(privacy_mode=False)
    a = open_core.add_user("A")
    g = open_core.add_group("G")
    open_core.add_member(g, a, "creator")
    open_core.add_bot_to_group(g, a)
    assert open_core.send_message(a, g, "gewoon praten")["message"]["text"] == "gewoon praten"
    assert open_core.call("getMe", {})["can_read_all_group_messages"] is True


def test_users_cannot_write_where_they_are_not(world):
    outsider = world.core.add_user("Dave")
    with pytest.raises(ValueError):
        world.core.send_message(outsider, world.group, "hoi")
    with pytest.raises(ValueError):
        world.core.send_message(world.bob, world.alice, "hoi")  # Alice's private chat
    with pytest.raises(ValueError):
        world.core.send_message(world.bob, world.group, "x", reply_to_message_id=999)


def test_deep_links(world):
    update = world.core.open_deep_link(world.carol, "grp_-42")
    assert update["message"]["text"] == "/start grp_-42"
    assert update["message"]["chat"] == {"id": world.carol["id"], "type": "private", "first_name": "Carol"}
    with pytest.raises(ValueError):
        world.core.open_deep_link(world.carol, "with space")
    update = world.core.open_link(world.carol, "https://t.me/kopgroep_test_bot?start=abc")
    assert update["message"]["text"] == "/start abc"
    with pytest.raises(ValueError):
        world.core.open_link(world.carol, "https://t.me/other_bot?start=abc")


def test_press_button_and_answer(world):
    core = world.core
    sent = core.call(
        "sendMessage",
        {
            "chat_id": world.group["id"],
            "text": "Doe mee?",
            "reply_markup": keyboard([("Doe mee", "join"), ("Nee", "no")]),
        },
    )
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "join"
    by_data = core.press_button(world.bob, sent, "join")
    by_text = core.press_button(world.alice, sent, text="Nee")
    query = by_data["callback_query"]
    assert query["data"] == "join" and query["from"]["id"] == world.bob["id"]
    assert query["message"]["message_id"] == sent["message_id"]
    assert query["chat_instance"] and by_text["callback_query"]["data"] == "no"
    assert_required_fields(by_data, "Update")
    with pytest.raises(ValueError):
        core.press_button(world.bob, sent, "missing")
    assert core.call("answerCallbackQuery", {"callback_query_id": query["id"], "text": "ok"})
    err = api_error(core, "answerCallbackQuery", {"callback_query_id": query["id"]})
    assert err.description == ("Bad Request: query is too old and response timeout expired or query ID is invalid")
    err = api_error(core, "answerCallbackQuery", {"callback_query_id": "12345"})
    assert err.error_code == 400
    err = api_error(
        core, "answerCallbackQuery", {"callback_query_id": by_text["callback_query"]["id"], "text": "x" * 201}
    )
    assert err.error_code == 400


def test_press_button_sees_current_version(world):
    core = world.core
    sent = core.call(
        "sendMessage", {"chat_id": world.group["id"], "text": "v1", "reply_markup": keyboard([("A", "a")])}
    )
    core.call(
        "editMessageText",
        {
            "chat_id": world.group["id"],
            "message_id": sent["message_id"],
            "text": "v2",
            "reply_markup": keyboard([("B", "b")]),
        },
    )
    with pytest.raises(ValueError):
        core.press_button(world.bob, sent, "a")
    update = core.press_button(world.bob, sent, "b")
    assert update["callback_query"]["message"]["text"] == "v2"
    url_message = core.call(
        "sendMessage",
        {
            "chat_id": world.group["id"],
            "text": "x",
            "reply_markup": {"inline_keyboard": [[{"text": "Site", "url": "https://x.be"}]]},
        },
    )
    with pytest.raises(ValueError):
        core.press_button(world.bob, url_message, text="Site")


def test_edit_message_text(world):
    core, chat = world.core, world.group["id"]
    sent = core.call(
        "sendMessage",
        {"chat_id": chat, "text": "<b>Hoi</b>", "parse_mode": "HTML", "reply_markup": keyboard([("A", "a")])},
    )
    ref = {"chat_id": chat, "message_id": sent["message_id"]}
    err = api_error(
        core,
        "editMessageText",
        {**ref, "text": "<b>Hoi</b>", "parse_mode": "HTML", "reply_markup": keyboard([("A", "a")])},
    )
    assert err.description.startswith(
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same"
    )
    edited = core.call("editMessageText", {**ref, "text": "<b>Hoi</b>", "parse_mode": "HTML"})
    assert "reply_markup" not in edited  # editing without reply_markup drops the keyboard
    assert edited["entities"] == [{"offset": 0, "length": 3, "type": "bold"}]
    assert "edit_date" in edited
    assert core.last_message(chat)["text"] == "Hoi"
    assert (
        api_error(core, "editMessageText", {**ref, "message_id": 999, "text": "x"}).description
        == "Bad Request: message to edit not found"
    )
    user_msg = core.send_message(world.bob, world.group, "/x")["message"]
    err = api_error(core, "editMessageText", {"chat_id": chat, "message_id": user_msg["message_id"], "text": "y"})
    assert err.description == "Bad Request: message can't be edited"


def test_edit_reply_markup_and_delete(world):
    core, chat = world.core, world.group["id"]
    sent = core.call("sendMessage", {"chat_id": chat, "text": "x", "reply_markup": keyboard([("A", "a")])})
    ref = {"chat_id": chat, "message_id": sent["message_id"]}
    result = core.call("editMessageReplyMarkup", ref)
    assert "reply_markup" not in result
    assert api_error(core, "editMessageReplyMarkup", ref).description.startswith("Bad Request: message is not modified")
    assert core.call("deleteMessage", ref) is True
    assert core.sent_messages(chat) == []
    assert api_error(core, "deleteMessage", ref).description == ("Bad Request: message to delete not found")
    user_msg = core.send_message(world.bob, world.group, "/x")["message"]
    err = api_error(core, "deleteMessage", {"chat_id": chat, "message_id": user_msg["message_id"]})
    assert err.description == "Bad Request: message can't be deleted"


def test_reply_parameters(world):
    core, chat = world.core, world.group["id"]
    question = core.send_message(world.bob, world.group, "/vraag")["message"]
    answer = core.call(
        "sendMessage", {"chat_id": chat, "text": "antwoord", "reply_parameters": {"message_id": question["message_id"]}}
    )
    assert answer["reply_to_message"]["text"] == "/vraag"
    err = api_error(core, "sendMessage", {"chat_id": chat, "text": "x", "reply_parameters": {"message_id": 999}})
    assert err.description == "Bad Request: message to be replied not found"
    core.call(
        "sendMessage",
        {"chat_id": chat, "text": "x", "reply_parameters": {"message_id": 999, "allow_sending_without_reply": True}},
    )


def test_members_admins_and_chat_info(world):
    core, chat = world.core, world.group["id"]
    assert core.call("getChatMemberCount", {"chat_id": chat}) == 3
    admins = core.call("getChatAdministrators", {"chat_id": chat})
    assert [(a["status"], a["user"]["id"]) for a in admins] == [("creator", world.alice["id"])]
    member = core.call("getChatMember", {"chat_id": chat, "user_id": world.bob["id"]})
    assert member["status"] == "member"
    assert core.call("getChatMember", {"chat_id": chat, "user_id": world.carol["id"]})["status"] == "left"
    assert api_error(core, "getChatMember", {"chat_id": chat, "user_id": 5}).description == (
        "Bad Request: user not found"
    )
    info = core.call("getChat", {"chat_id": chat})
    assert_required_fields(info, "ChatFullInfo")
    assert info["title"] == "Groep Zottegem"
    assert api_error(core, "getChat", {"chat_id": world.carol["id"]}).description == ("Bad Request: chat not found")
    for value in admins + [member]:
        assert_required_fields(value, "ChatMember")
    err = api_error(core, "getChatAdministrators", {"chat_id": world.alice["id"]})
    assert err.error_code == 400


def test_pins(world):
    core, chat = world.core, world.group["id"]
    first = core.call("sendMessage", {"chat_id": chat, "text": "1"})
    second = core.call("sendMessage", {"chat_id": chat, "text": "2"})
    core.call("pinChatMessage", {"chat_id": chat, "message_id": first["message_id"]})
    core.call("pinChatMessage", {"chat_id": chat, "message_id": second["message_id"], "disable_notification": True})
    assert core.chats[chat].pinned == [first["message_id"], second["message_id"]]
    assert core.call("getChat", {"chat_id": chat})["pinned_message"]["text"] == "2"
    core.call("unpinChatMessage", {"chat_id": chat})
    assert core.chats[chat].pinned == [first["message_id"]]
    core.call("unpinAllChatMessages", {"chat_id": chat})
    assert core.chats[chat].pinned == []
    err = api_error(core, "pinChatMessage", {"chat_id": chat, "message_id": 999})
    assert err.description == "Bad Request: message to pin not found"
    sgroup = core.add_group("S", supergroup=True)
    core.add_member(sgroup, world.alice, "creator")
    core.add_bot_to_group(sgroup, world.alice)
    msg = core.call("sendMessage", {"chat_id": sgroup["id"], "text": "x"})
    err = api_error(core, "pinChatMessage", {"chat_id": sgroup["id"], "message_id": msg["message_id"]})
    assert "not enough rights" in err.description


def test_commands_per_scope_and_language(world):
    core = world.core
    nl = [{"command": "leden", "description": "Toon de leden"}]
    en = [{"command": "members", "description": "Show members"}]
    group_scope = {"type": "chat", "chat_id": world.group["id"]}
    core.call("setMyCommands", {"commands": nl, "language_code": "nl"})
    core.call("setMyCommands", {"commands": en, "scope": group_scope})
    assert core.call("getMyCommands", {"language_code": "nl"}) == nl
    assert core.call("getMyCommands", {}) == []
    assert core.call("getMyCommands", {"scope": group_scope}) == en
    core.call("deleteMyCommands", {"scope": group_scope})
    assert core.call("getMyCommands", {"scope": group_scope}) == []
    assert api_error(core, "setMyCommands", {"commands": nl, "language_code": "dutch"}).error_code == 400


def test_documents_photos_and_files(world):
    core, chat = world.core, world.alice["id"]
    sent = core.call(
        "sendDocument",
        {"chat_id": chat, "caption": "<i>verslag</i>", "parse_mode": "HTML"},
        {"document": ("verslag.pdf", b"%PDF-1.4 data", "application/pdf")},
    )
    assert sent["document"]["file_name"] == "verslag.pdf"
    assert sent["caption"] == "verslag" and sent["caption_entities"][0]["type"] == "italic"
    assert core.files[sent["document"]["file_id"]]["content"] == b"%PDF-1.4 data"
    file = core.call("getFile", {"file_id": sent["document"]["file_id"]})
    assert core.file_content(file["file_path"]) == b"%PDF-1.4 data"
    again = core.call("sendDocument", {"chat_id": chat, "document": sent["document"]["file_id"]})
    assert again["document"]["file_id"] == sent["document"]["file_id"]
    assert api_error(core, "sendDocument", {"chat_id": chat, "document": "nope"}).description == (
        "Bad Request: wrong file identifier/HTTP URL specified"
    )
    err = api_error(core, "sendPhoto", {"chat_id": chat}, {"photo": ("x.png", b"not an image")})
    assert err.description == "Bad Request: IMAGE_PROCESS_FAILED"
    gif = b"GIF89a" + (3).to_bytes(2, "little") + (2).to_bytes(2, "little") + b"\0" * 8
    photo = core.call("sendPhoto", {"chat_id": chat, "photo": "attach://pic"}, {"pic": ("p.gif", gif)})
    assert (photo["photo"][0]["width"], photo["photo"][0]["height"]) == (3, 2)
    err = api_error(core, "sendDocument", {"chat_id": chat, "caption": "x" * 1025}, {"document": ("a.txt", b"x")})
    assert err.description == "Bad Request: message caption is too long"
    assert api_error(core, "getFile", {"file_id": "zzz"}).error_code == 400
    assert_required_fields(sent, "Message")
    assert_required_fields(file, "File")


def test_user_documents_and_edits(world):
    core = world.core
    update = core.send_document(world.alice, world.alice, "data.csv", b"a;b\n1;2", "text/csv")
    document = update["message"]["document"]
    path = core.call("getFile", {"file_id": document["file_id"]})["file_path"]
    assert core.file_content(path) == b"a;b\n1;2"
    sent = core.send_message(world.alice, world.alice, "eerst")["message"]
    edited = core.edit_message(world.alice, sent, "daarna")
    assert edited["edited_message"]["text"] == "daarna"
    assert core.messages(world.alice["id"])[-1]["text"] == "daarna"
    with pytest.raises(ValueError):
        core.edit_message(world.bob, sent, "niet van mij")


def test_misc_methods(world):
    core = world.core
    assert core.call("sendChatAction", {"chat_id": world.alice["id"], "action": "typing"})
    assert api_error(core, "sendChatAction", {"chat_id": world.alice["id"], "action": "dancing"}).error_code == 400
    assert api_error(core, "sendChatAction", {"chat_id": world.carol["id"], "action": "typing"}).error_code == 403
    assert core.call("setChatMenuButton", {"menu_button": {"type": "commands"}})
    assert core.call("setChatMenuButton", {"chat_id": world.alice["id"], "menu_button": {"type": "default"}})
    assert api_error(core, "setChatMenuButton", {"menu_button": {"type": "web_app"}}).error_code == 400
    assert core.call("setMyDescription", {"description": "Kopgroep bot", "language_code": "nl"})
    assert core.call("setMyShortDescription", {"short_description": "kort"})
    assert api_error(core, "setMyShortDescription", {"short_description": "x" * 121}).error_code == 400
    assert core.descriptions[("description", "nl")] == "Kopgroep bot"
    assert core.call("close", {}) is True
    assert core.call("logOut", {}) is True
    assert api_error(core, "getMe", {}).error_code == 401


def test_recording_and_transcript(world):
    core, group = world.core, world.group
    core.send_message(world.alice, group, "/leden")
    sent = core.call(
        "sendMessage",
        {
            "chat_id": group["id"],
            "text": "<b>Leden</b>: Alice",
            "parse_mode": "HTML",
            "reply_markup": keyboard([("Doe mee", "join")]),
        },
    )
    core.press_button(world.bob, sent, "join")
    core.call(
        "editMessageText", {"chat_id": group["id"], "message_id": sent["message_id"], "text": "Leden: Alice, Bob"}
    )
    try:
        core.call("sendMessage", {"chat_id": group["id"], "text": ""})
    except ApiError:
        pass
    record = core.calls_of("sendMessage")[0]
    assert record.params["chat_id"] == group["id"] and record.ok
    assert record.result["message_id"] == sent["message_id"]
    failed = core.calls_of("sendMessage")[-1]
    assert failed.error.error_code == 400 and not failed.ok
    assert [m.get("text") for m in core.messages(group["id"])] == [None, "/leden", "Leden: Alice, Bob"]
    assert len(core.sent_messages()) == 1
    text = core.transcript()
    assert "[Groep Zottegem] Alice: /leden" in text
    assert "[Groep Zottegem] Kopgroep: Leden: Alice\n    [Doe mee]" in text
    assert "[Groep Zottegem] Bob drukt op [Doe mee]" in text
    assert "[Groep Zottegem] Kopgroep: Leden: Alice, Bob (bewerkt)" in text
    assert "<b>" not in text


def test_reply_keyboard_buttons(world):
    core = world.core
    core.call(
        "sendMessage",
        {
            "chat_id": world.alice["id"],
            "text": "Kies",
            "reply_markup": {"keyboard": [[{"text": "Ja"}, {"text": "Nee"}]]},
        },
    )
    assert core.press_keyboard_button(world.alice, world.alice, "Ja")["message"]["text"] == "Ja"
    with pytest.raises(ValueError):
        core.press_keyboard_button(world.alice, world.alice, "Misschien")
