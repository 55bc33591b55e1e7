"""The scenes the process test does not reach, in a real browser: the dialogue (its question, the
count, the anonymous answers once shared), the dream images, the goals, and the page in English.
Each state is checked with axe-core and left as a screenshot in the folder the test prints."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from storage import trajectories
from storage.models import DreamCollection, DreamImage, Goal, Person, utcnow
from tests.conversations.voting_helpers import cast, voting_group
from tests.e2e.browser import async_browser, axe_problems_async, screenshot_folder
from tests.harness import Harness
from tests.screen.screen_helpers import ask_link

WAIT_MS = 10_000
DREAMS = {
    0: ["Kraantjeswater op elke vergadering", "Geen plastic bekers meer in de cafetaria", "Elke aankoop met een duurzaam criterium"],
    1: ["Alle brieven in begrijpelijke taal", "Het loket is toegankelijk voor rolstoelen"],
    2: ["De helft van het personeel komt met de fiets", "Deelwagens voor dienstverplaatsingen"],
}
GOALS = [
    (0, "approved", "Duurzame criteria in 80% van de overheidsopdrachten tegen eind 2027"),
    (1, "proposed", "Alle standaardbrieven herschreven in begrijpelijke taal"),
    (2, "approved", "30% van het personeel fietst minstens 3 dagen per week tegen eind 2027"),
]


async def shows(page, heading: str, text: str | None = None) -> None:  # noqa: ANN001
    await page.wait_for_function("t => document.getElementById('heading').textContent === t", arg=heading, timeout=WAIT_MS)
    if text is not None:
        await page.wait_for_function(
            "t => document.getElementById('content').textContent.includes(t)", arg=text, timeout=WAIT_MS
        )


async def checked(page, folder, name: str) -> None:  # noqa: ANN001
    await page.screenshot(path=folder / f"{name}.png")
    problems = await axe_problems_async(page)
    assert not problems, (name, problems)


async def test_the_dialogue_dream_images_and_goals_in_a_browser(
    served: tuple[Harness, str], capsys: pytest.CaptureFixture[str]
) -> None:
    harness, base = served
    folder = screenshot_folder(f"screen-scenes-{'sqlite' if harness.db.is_sqlite else 'postgresql'}")
    with capsys.disabled():
        print(f"\nscreenshots of the screen's scenes: {folder}")
    group, people, theme_ids = await voting_group(harness, members=5, themes=4)
    anne, bart, chris, dirk, els = people
    url, token = await ask_link(harness, group, anne)
    async with async_browser() as browser:
        context = await browser.new_context(viewport={"width": 1920, "height": 1080})
        page = await context.new_page()
        assert (await page.goto(base + urlsplit(url).path)).status == 200
        await shows(page, "Even geduld")
        await checked(page, folder, "1-even-geduld")

        await harness.say(anne, group, "/dialoog anoniem")
        await shows(page, "Open dialoog", "0 leden hebben geantwoord.")
        await harness.say(bart, bart["id"], "Duurzaam aankopen: we kopen veel, dus daar maken we het verschil.")
        await harness.say(chris, chris["id"], "Toegankelijkheid voor iedereen, ook online.")
        await harness.say(dirk, dirk["id"], "Minder papier op het gemeentehuis")
        await shows(page, "Open dialoog", "3 leden hebben geantwoord.")
        await checked(page, folder, "2-dialoog-vraag")
        await harness.say(anne, group, "/volgende")
        await shows(page, "Open dialoog", "Anonieme antwoorden op vraag 1")
        assert "Bart" not in await page.inner_text("body") and "Chris" not in await page.inner_text("body")
        await checked(page, folder, "3-dialoog-gedeelde-antwoorden")
        await harness.say(anne, group, "/dialoog stop")

        await harness.say(anne, group, "/consensus 1, 2, 3")
        trajectory = await harness.db.run(trajectories.by_chat, group["id"])
        await harness.db.run(publish, trajectory.id, theme_ids)
        await shows(page, "Droombeelden", "Kraantjeswater op elke vergadering")
        await checked(page, folder, "4-droombeelden")
        await harness.db.run(propose_goals, trajectory.id, theme_ids)
        await shows(page, "SMART-doelen", "30% van het personeel fietst")
        text = await page.inner_text("body")
        assert not any(person["first_name"] in text for person in people)
        await checked(page, folder, "5-doelen")
        # A scene pinned from the menu with the keyboard: Tab to its button, Enter.
        await page.keyboard.press("Tab")
        for _ in range(10):
            if await page.evaluate("document.activeElement.dataset.scene") == "dreams":
                break
            await page.keyboard.press("Tab")
        await page.keyboard.press("Enter")
        await shows(page, "Droombeelden")
        assert await page.get_attribute('button[data-scene="dreams"]', "aria-pressed") == "true"
        await context.close()
    assert not harness.errors


async def test_in_english_on_a_phone(served: tuple[Harness, str], capsys: pytest.CaptureFixture[str]) -> None:
    harness, base = served
    folder = screenshot_folder(f"screen-english-{'sqlite' if harness.db.is_sqlite else 'postgresql'}")
    with capsys.disabled():
        print(f"\nscreenshots of the screen in English: {folder}")
    group, people, theme_ids = await voting_group(harness, members=4, themes=4, language="en")
    url, _ = await ask_link(harness, group, people[0])
    await harness.say(people[0], group, "/stemronde")
    async with async_browser() as browser:
        phone = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = await phone.new_page()
        await page.goto(base + urlsplit(url).path)
        await shows(page, "Voting round 1", "0 of 4 members have voted")
        assert await page.evaluate("document.documentElement.lang") == "en"
        await checked(page, folder, "1-voting-round-phone")
        for person, scores in zip(people[:3], ((3, 3, 2, 1), (3, 2, 3, 1), (2, 3, 3, 1)), strict=True):
            await cast(harness, person, dict(zip(theme_ids, scores, strict=True)))
        await shows(page, "Voting round 1", "3 of 4 members have voted")
        await harness.say(people[0], group, "/sluitronde")
        await shows(page, "Result of voting round 1", "3 of the 4 members voted.")
        await page.wait_for_function("() => document.querySelector('.chart img')?.naturalWidth > 0", timeout=WAIT_MS)
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        await page.screenshot(path=folder / "2-results-phone.png", full_page=True)
        assert not await axe_problems_async(page)
        await phone.close()
    assert not harness.errors


def publish(session, trajectory_id: int, theme_ids: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Dream images from several members, published as /verwerk's Publiceren leaves them."""
    authors = session.query(Person).order_by(Person.id).all()
    now = utcnow()
    session.add(DreamCollection(trajectory_id=trajectory_id, started_at=now, published_at=now))
    number = 0
    for index, texts in DREAMS.items():
        for text in texts:
            number += 1
            session.add(DreamImage(
                trajectory_id=trajectory_id, theme_id=theme_ids[index], person_id=authors[number % len(authors)].id,
                number=number, text=text, published=True,
            ))


def propose_goals(session, trajectory_id: int, theme_ids: list[int]) -> None:  # type: ignore[no-untyped-def]
    authors = session.query(Person).order_by(Person.id).all()
    for number, (index, status, specific) in enumerate(GOALS, start=1):
        session.add(Goal(
            trajectory_id=trajectory_id, theme_id=theme_ids[index], number=number, author_id=authors[number].id,
            status=status, specific=specific, decided_at=utcnow() if status == "approved" else None,
        ))
