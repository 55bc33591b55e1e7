"""In a real browser: the meeting room's screen of a real `kopgroep run` process (polling mode,
the screen on SCREEN_LISTEN) follows a voting round live, and refuses links that do not work.

The moderator gets the link through the bot; the page opens; members vote through the bot and
the count on the page rises without a reload; the round closes and the chart appears; an altered
link is refused, an expired one too, and /scherm stop ends the page that is open. Each state is
checked with axe-core and left as a screenshot in the folder the test prints.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fake_telegram.core import FakeTelegram
from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine, update

from storage.models import ScreenLink, utcnow
from tests.e2e.browser import axe_problems, browser, screenshot_folder  # noqa: F401 (fixture)
from tests.e2e.test_bot_process import fake_server, free_port, start_bot, stop_bot  # noqa: F401 (fixture)
from tests.e2e.test_voting_process import add_themes

SCORES = {"Anne": (3, 3, 2, 1), "Bart": (3, 2, 3, 1), "Chris": (3, 3, 2, 1), "Dirk": (2, 3, 3, 1)}
LINK = re.compile(r"http://\S+/scherm/\S+")
WAIT_MS = 10_000


def vote(core: FakeTelegram, person: dict, scores: tuple[int, ...]) -> None:
    """Score every theme on the member's ballot, then submit, as a member presses the buttons."""
    ballot = wait_for_bot_message_sync(core, person["id"], contains="Stembiljet")
    buttons = [b["callback_data"] for row in ballot["reply_markup"]["inline_keyboard"] for b in row if "callback_data" in b]
    votes = [b for b in buttons if b.startswith("vote:")]
    theme_ids = sorted({int(b.split(":")[2]) for b in votes})
    round_id = votes[0].split(":")[1]
    for theme_id, score in zip(theme_ids, scores, strict=True):
        core.press_button(person, ballot, f"vote:{round_id}:{theme_id}:{score}")
        wait_for_sync(core, lambda c, p=person, r=round_id, t=theme_id, s=score: any(
            f"vote:{r}:{t}:{s}" in str(m.get("reply_markup")) and f"✅ {s}" in str(m.get("reply_markup"))
            for m in c.sent_messages(p["id"])
        ))
    core.press_button(person, ballot, f"vsubmit:{round_id}")
    wait_for_bot_message_sync(core, person["id"], contains="Ingediend")


def heading_is(page, text: str) -> None:  # noqa: ANN001
    page.wait_for_function("t => document.getElementById('heading').textContent === t", arg=text, timeout=WAIT_MS)


def scene_shows(page, text: str) -> None:  # noqa: ANN001
    page.wait_for_function("t => document.getElementById('content').textContent.includes(t)", arg=text, timeout=WAIT_MS)


def no_serious_problems(page, where: str) -> None:  # noqa: ANN001
    problems = axe_problems(page)
    assert not problems, (where, problems)


def test_the_screen_follows_a_round_live_and_refuses_bad_links(  # noqa: F811
    fake_server, browser, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    core, base_url = fake_server
    port = free_port()
    shots = screenshot_folder(f"screen-{database_url.split(':')[0].split('+')[0]}")
    with capsys.disabled():
        print(f"\nscreenshots of the meeting room's screen: {shots}")
    process = start_bot(core, base_url, database_url, tmp_path, SCREEN_LISTEN=f"127.0.0.1:{port}")
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        group = core.add_group("Kopgroep")
        people = {name: core.add_user(name) for name in SCORES}
        for index, person in enumerate(people.values()):
            core.add_member(group, person, "creator" if index == 0 else "member")
        anne = people["Anne"]
        core.add_bot_to_group(group, anne)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
        for person in people.values():
            core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
            wait_for_bot_message_sync(core, person["id"], contains="Welkom")
        add_themes(database_url, group["id"])
        core.send_message(anne, group, "/sessie")
        wait_for_bot_message_sync(core, group["id"], contains="Waar staan we?")

        # The moderator asks for the link in the group; it comes privately, never in the group.
        core.send_message(anne, group, "/scherm")
        private = wait_for_bot_message_sync(core, anne["id"], contains="/scherm/")
        url = LINK.search(private["text"]).group(0)
        assert url.startswith(f"http://127.0.0.1:{port}/scherm/")
        wait_for_bot_message_sync(core, group["id"], contains="ik stuurde je privé de link")
        assert not any("/scherm/" in (m.get("text") or "") for m in core.sent_messages(group["id"]))

        page = context.new_page()
        assert page.goto(url).status == 200
        heading_is(page, "Synthese")
        scene_shows(page, "Waar staan we?")
        assert page.evaluate("document.documentElement.lang") == "nl"
        page.screenshot(path=shots / "1-synthese.png")
        no_serious_problems(page, "synthesis")
        page.evaluate("window.sameDocument = 'still here'")  # gone if the page reloads

        # A round opens: the page follows on its own and counts the ballots as they come in.
        core.send_message(anne, group, "/stemronde")
        heading_is(page, "Stemronde 1")
        scene_shows(page, "0 van 4 leden hebben gestemd")
        page.screenshot(path=shots / "2-stemronde-0-van-4.png")
        no_serious_problems(page, "voting, no ballot yet")
        for count, (name, scores) in enumerate(SCORES.items(), start=1):
            vote(core, people[name], scores)
            scene_shows(page, f"{count} van 4 leden hebben gestemd")
            assert page.eval_on_selector("progress", "bar => bar.value") == count
            if count == 2:
                page.screenshot(path=shots / "3-stemronde-2-van-4.png")
        assert page.evaluate("window.sameDocument") == "still here"
        text = page.inner_text("#content")
        assert not any(name in text for name in SCORES)  # never who

        # The round closes: the results as the group got them, with the chart.
        core.send_message(anne, group, "/sluitronde")
        wait_for_bot_message_sync(core, group["id"], contains="Uitslag stemronde 1")
        heading_is(page, "Uitslag stemronde 1")
        page.wait_for_function(
            "() => { const i = document.querySelector('.chart img'); return i && i.complete && i.naturalWidth > 0; }",
            timeout=WAIT_MS,
        )
        scene_shows(page, "3 van de 4 gaven een 3 (75%), niemand gaf een 1")
        assert page.evaluate("window.sameDocument") == "still here"
        page.screenshot(path=shots / "4-uitslag.png")
        no_serious_problems(page, "results")
        text = page.inner_text("body")
        assert not any(name in text for name in SCORES)

        on_phone = phone.new_page()
        assert on_phone.goto(url).status == 200
        on_phone.wait_for_function("() => document.querySelector('.chart img')?.naturalWidth > 0", timeout=WAIT_MS)
        assert on_phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # nothing wider than the phone
        on_phone.screenshot(path=shots / "5-uitslag-telefoon.png", full_page=True)
        no_serious_problems(on_phone, "results on a phone")

        # With the keyboard: 1 pins the synthesis, 0 follows the group again.
        page.keyboard.press("1")
        heading_is(page, "Synthese")
        assert page.get_attribute('button[data-scene="synthesis"]', "aria-pressed") == "true"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "BUTTON"
        page.keyboard.press("0")
        heading_is(page, "Uitslag stemronde 1")
        assert page.get_attribute('button[data-scene=""]', "aria-pressed") == "true"

        core.send_message(anne, group, "/consensus 1, 2, 3")
        wait_for_bot_message_sync(core, group["id"], contains="Consensus!")
        scene_shows(page, "Consensus!")
        page.screenshot(path=shots / "6-consensus.png")

        # An altered link opens nothing.
        token = url.rsplit("/", 1)[1]
        altered = url[: -len(token)] + token[:-1] + ("A" if token[-1] != "A" else "B")
        refused = context.new_page()
        assert refused.goto(altered).status == 404
        heading_is(refused, "Deze link werkt niet")
        assert "Uitslag" not in refused.inner_text("body") and "Thema" not in refused.inner_text("body")
        refused.screenshot(path=shots / "7-gewijzigde-link.png")
        no_serious_problems(refused, "altered link")
        # The check itself works: a picture without words and pale text on white are found.
        refused.evaluate("""() => {
            document.getElementById('content').insertAdjacentHTML('beforeend',
                '<img src="/scherm/static/none.png"><p class="pale">Bijna onleesbaar</p>');
            document.querySelector('.pale').style.color = '#d0d0d0';
        }""")
        found = " ".join(axe_problems(refused))
        assert "image-alt" in found and "color-contrast" in found, found
        for path in ("/stand", "/live", "/grafiek/1.png"):
            assert httpx.get(altered + path, timeout=5).status_code == 404, path

        # The session is over: the open phone page says so by itself; the link opens nothing more.
        expire(database_url)
        heading_is(on_phone, "Deze link is verlopen")
        assert "Thema" not in on_phone.inner_text("body")
        on_phone.screenshot(path=shots / "8-verlopen-telefoon.png")
        assert context.new_page().goto(url).status == 410
        assert httpx.get(url + "/grafiek/1.png", timeout=5).status_code == 410

        # A new link, then /scherm stop: the page that is open stops at once.
        core.send_message(anne, group, "/scherm")
        second = wait_for_sync(core, lambda c: [m for m in c.sent_messages(anne["id"]) if "/scherm/" in (m.get("text") or "")][1])
        fresh = LINK.search(second["text"]).group(0)
        assert fresh != url
        assert page.goto(fresh).status == 200
        heading_is(page, "Uitslag stemronde 1")
        core.send_message(anne, group, "/scherm stop")
        wait_for_bot_message_sync(core, group["id"], contains="Het scherm is gestopt")
        heading_is(page, "Het scherm is gestopt")
        page.screenshot(path=shots / "9-gestopt.png")
        no_serious_problems(page, "stopped")
        assert httpx.get(fresh + "/stand", timeout=5).status_code == 410
    finally:
        context.close()
        phone.close()
        stop_bot(process)
    refused_calls = [c for c in core.calls if not c.ok and c.method != "getUpdates"]
    assert not refused_calls, [(c.method, c.error) for c in refused_calls]
    assert sorted(p.name for p in shots.glob("*.png")) == [
        "1-synthese.png", "2-stemronde-0-van-4.png", "3-stemronde-2-van-4.png", "4-uitslag.png",
        "5-uitslag-telefoon.png", "6-consensus.png", "7-gewijzigde-link.png", "8-verlopen-telefoon.png", "9-gestopt.png",
    ]


def expire(database_url: str) -> None:
    """Twelve hours later, as far as the links are concerned."""
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(update(ScreenLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    engine.dispose()
