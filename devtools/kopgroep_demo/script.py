"""The scripted steering group: a moderator and three members run the whole method.

Each step acts, waits for what the bot must answer (by the message's buttons or kind, never by
its words, so both languages run the same script), then until the bot is idle: every update
handled, nothing sent for a moment. So no reply is printed after the next step's message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from fake_telegram.core import FakeTelegram
from fake_telegram.waiting import wait_for
from telegram.ext import Application

from kopgroep_demo.transcript import Transcript
from kopgroep_demo.words import SCORES, STEPS, TYPED

IDLE = 0.3  # seconds without a new event, every update handled: the bot is done with a step


class Group:
    def __init__(self, core: FakeTelegram, application: Application, transcript: Transcript, language: str) -> None:
        self.core, self.application, self.transcript = core, application, transcript
        self.steps, self.typed = STEPS[language], TYPED[language]
        self.group = core.add_group("Kopgroep MVO")
        self.people = {name: core.add_user(name, language_code=language) for name in SCORES}
        for index, person in enumerate(self.people.values()):
            self.core.add_member(self.group, person, "creator" if index == 0 else "member")
        self.anne = self.people["Anne"]

    # --- waiting ---------------------------------------------------------------------------------
    async def idle(self) -> None:
        """Until every update is handled and the bot has sent nothing for IDLE seconds."""
        loop = asyncio.get_running_loop()
        processor = self.application.update_processor
        count, since = len(self.core.events), loop.time()
        while True:
            await asyncio.sleep(0.05)
            busy = (
                self.core.pending_updates()
                or not self.application.update_queue.empty()
                or processor.current_concurrent_updates
            )
            if busy or len(self.core.events) != count:
                count, since = len(self.core.events), loop.time()
            elif loop.time() - since >= IDLE:
                return

    async def until(self, condition: Callable[[FakeTelegram], Any], timeout: float = 60) -> Any:
        found = await wait_for(self.core, condition, timeout=timeout)
        await self.idle()
        return found

    def count(self, chat_id: int) -> int:
        return len(self.core.sent_messages(chat_id))

    def new_with(self, chat_id: int, since: int, prefix: str) -> Callable[[FakeTelegram], dict | None]:
        """The latest bot message in the chat since ``since`` with a button whose data starts with ``prefix``."""
        return lambda core: next((m for m in reversed(core.sent_messages(chat_id)[since:]) if buttons(m, prefix)), None)

    def new_message(
        self, chat_id: int, since: int, test: Callable[[dict], bool] = lambda m: True
    ) -> Callable[[FakeTelegram], dict | None]:
        return lambda core: next((m for m in core.sent_messages(chat_id)[since:] if test(m)), None)

    async def say(self, person: dict, text: str, chat: dict | int | None = None, **reply: int) -> dict:
        """Write in the group (or a private chat) and wait for the bot's answer there."""
        chat_id = (chat["id"] if isinstance(chat, dict) else chat) if chat is not None else self.group["id"]
        since = self.count(chat_id)
        self.core.send_message(person, chat if chat is not None else self.group, text, **reply)
        return await self.until(self.new_message(chat_id, since))

    async def press(self, person: dict, message: dict, data: str) -> None:
        self.core.press_button(person, message, data)
        await self.until(lambda core: all(q["answered"] for q in core.callback_queries.values()))

    # --- the method ------------------------------------------------------------------------------
    async def run(self) -> None:
        await self.start()
        await self.themes()
        for number in range(1, 4):
            await self.voting_round(number)
        self.transcript.heading(self.steps["consensus"])
        await self.say(self.anne, "/consensus")
        await self.dreams()
        await self.goals()
        await self.report()

    async def start(self) -> None:
        self.transcript.heading(self.steps["start"])
        self.core.add_bot_to_group(self.group, self.anne)
        # The welcome (with the join button) and the question for the organisation's name.
        await self.until(lambda core: len(core.sent_messages(self.group["id"])) >= 2, 30)
        welcome, question = self.core.sent_messages(self.group["id"])[:2]
        await self.say(self.anne, self.typed["organisation"], reply_to_message_id=question["message_id"])
        join_url = welcome["reply_markup"]["inline_keyboard"][0][0]["url"]
        for person in self.people.values():
            since = self.count(person["id"])
            self.core.open_link(person, join_url)
            await self.until(self.new_message(person["id"], since))

    async def themes(self) -> None:
        self.transcript.heading(self.steps["themes"])
        since = self.count(self.group["id"])
        self.core.send_message(self.anne, self.group, "/catalogus")
        pick = await self.until(self.new_with(self.group["id"], since, "cat"))
        data = next(b for b in buttons(pick, "") if b.endswith(":examples"))
        await self.press(self.anne, pick, data)

    async def voting_round(self, number: int) -> None:
        self.transcript.heading(self.steps["round"].format(number=number))
        sinces = {name: self.count(person["id"]) for name, person in self.people.items()}
        await self.say(self.anne, "/stemronde")
        for name, person in self.people.items():
            ballot = await self.until(self.new_with(person["id"], sinces[name], "vote:"))
            votes = buttons(ballot, "vote:")
            round_id = votes[0].split(":")[1]
            themes = sorted({int(v.split(":")[2]) for v in votes})
            for theme, score in zip(themes, SCORES[name][number - 1], strict=True):
                await self.press(person, ballot, f"vote:{round_id}:{theme}:{score}")
            await self.press(person, ballot, f"vsubmit:{round_id}")
        since = self.count(self.group["id"])
        self.core.send_message(self.anne, self.group, "/sluitronde")
        await self.until(self.new_message(self.group["id"], since, lambda m: "photo" in m), 60)

    async def dreams(self) -> None:
        self.transcript.heading(self.steps["dreams"])
        sinces = {name: self.count(person["id"]) for name, person in self.people.items()}
        await self.say(self.anne, "/droombeelden")
        for name in ("Bart", "Chris"):
            person = self.people[name]
            template = await self.until(self.new_with(person["id"], sinces[name], "dth:"))
            await self.press(person, template, buttons(template, "dth:")[0])
            await self.say(person, self.typed[f"dream_{name.lower()}"], chat=person["id"])
        self.transcript.heading(self.steps["reminders"])
        await self.say(self.anne, "/herinner")
        self.transcript.heading(self.steps["processing"])
        since = self.count(self.anne["id"])
        self.core.send_message(self.anne, self.group, "/verwerk")
        overview = await self.until(self.new_with(self.anne["id"], since, "dpub:"))
        await self.press(self.anne, overview, buttons(overview, "dpub:")[0])
        confirm = await self.until(
            lambda core: next(
                (
                    m
                    for m in reversed(core.sent_messages(self.anne["id"]))
                    if any(b.endswith(":ok") for b in buttons(m, "dpub:"))
                ),
                None,
            )
        )
        await self.press(self.anne, confirm, next(b for b in buttons(confirm, "dpub:") if b.endswith(":ok")))

    async def goals(self) -> None:
        self.transcript.heading(self.steps["goals"])
        bart = self.people["Bart"]
        overview = await self.say(self.anne, "/doelen")
        url = next(b["url"] for row in overview["reply_markup"]["inline_keyboard"] for b in row if "url" in b)
        since = self.count(bart["id"])
        self.core.open_link(bart, url)
        await self.until(self.new_message(bart["id"], since))
        for answer in self.typed["goal"]:
            await self.say(bart, answer, chat=bart["id"])
        summary = await self.until(self.new_with(bart["id"], 0, "gs:"))
        since = self.count(self.anne["id"])
        await self.press(bart, summary, buttons(summary, "gs:")[0])
        proposal = await self.until(self.new_with(self.anne["id"], since, "gd:"))
        goal_id = buttons(proposal, "gd:")[0].split(":")[1]
        await self.press(self.anne, proposal, f"gd:{goal_id}:ok")

    async def report(self) -> None:
        self.transcript.heading(self.steps["report"])
        await self.say(self.anne, self.typed["decision"])
        choice = await self.say(self.anne, "/rapport")
        since = self.count(self.anne["id"])
        await self.press(self.anne, choice, buttons(choice, "rpt:")[0])
        await self.until(
            self.new_message(
                self.anne["id"], since, lambda m: str(m.get("document", {}).get("file_name", "")).endswith(".docx")
            ),
            90,
        )


def buttons(message: dict, prefix: str) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if b.get("callback_data", "").startswith(prefix)]
