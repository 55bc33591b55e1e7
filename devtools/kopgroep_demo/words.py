"""What the scripted members type, and the transcript's own frame words, in Dutch and in English."""

from __future__ import annotations

FRAME = {
    "nl": {
        "private": "privé {name}",
        "presses": "{name} drukt op [{button}]",
        "edits": "{bot} past het bericht aan",
        "notice": "melding",
        "popup": "pop-up",
        "deletes": "{bot} verwijdert «{text}»",
        "adds": "(voegt {names} toe)",
        "chart": "[grafiek, bewaard als {path}]",
        "file": "[bestand, bewaard als {path}]",
        "pinned": "(vastgezet)",
        "unseen": "(de bot ziet dit niet)",
        "message": "(bericht)",
        "same": "(hetzelfde bericht als in [{label}])",
        "step": "── {title} ──",
        "saved": "De grafieken en het rapport staan in {folder}",
        "took": "De demo duurde {seconds:.0f} s.",
    },
    "en": {
        "private": "private {name}",
        "presses": "{name} presses [{button}]",
        "edits": "{bot} updates the message",
        "notice": "notice",
        "popup": "pop-up",
        "deletes": "{bot} deletes «{text}»",
        "adds": "(adds {names})",
        "chart": "[chart, saved as {path}]",
        "file": "[file, saved as {path}]",
        "pinned": "(pinned)",
        "unseen": "(the bot does not see this)",
        "message": "(message)",
        "same": "(the same message as in [{label}])",
        "step": "── {title} ──",
        "saved": "The charts and the report are in {folder}",
        "took": "The demo took {seconds:.0f} s.",
    },
}

STEPS = {
    "nl": {
        "start": "De bot komt in de groep, de leden doen mee",
        "themes": "Kandidaat-thema's",
        "round": "Stemronde {number}",
        "consensus": "Consensus",
        "dreams": "Droombeelden",
        "reminders": "Herinneringen",
        "processing": "De moderator verwerkt de droombeelden",
        "goals": "SMART-doelen",
        "report": "Beslissing van het college en het rapport",
    },
    "en": {
        "start": "The bot joins the group, the members join in",
        "themes": "Candidate themes",
        "round": "Voting round {number}",
        "consensus": "Consensus",
        "dreams": "Dream images",
        "reminders": "Reminders",
        "processing": "The moderator processes the dream images",
        "goals": "SMART goals",
        "report": "The council's decision and the report",
    },
}

TYPED = {
    "nl": {
        "organisation": "Gemeente Zottegem",
        "dream_bart": "In 2030 koopt de gemeente alleen nog duurzaam en lokaal waar het kan.",
        "dream_chris": "Elke inwoner vindt vlot zijn weg in begrijpelijke brieven en een toegankelijk loket.",
        "goal": (
            "Duurzaamheidscriteria in elke aankoopopdracht boven 30.000 euro",
            "aandeel opdrachten met criteria",
            "20% in 2025",
            "80%",
            "dienst aankoop",
            "0,2 VTE aankoopjurist",
            "31 december 2027",
            "50% tegen juni 2027",
        ),
        "decision": "/beslissing goedgekeurd 12 december 2026 Het college neemt de drie thema's op in het meerjarenplan",
    },
    "en": {
        "organisation": "Town of Zottegem",
        "dream_bart": "By 2030 the town buys sustainably and locally wherever it can.",
        "dream_chris": "Every resident finds their way easily, with clear letters and an accessible front desk.",
        "goal": (
            "Sustainability criteria in every purchase above 30,000 euro",
            "share of tenders with criteria",
            "20% in 2025",
            "80%",
            "purchasing department",
            "0.2 FTE procurement lawyer",
            "31 December 2027",
            "50% by June 2027",
        ),
        "decision": "/beslissing approved 12 December 2026 The council adds the three themes to the multi-year plan",
    },
}

# The scores each member gives the four example themes (in their order on the ballot), round by
# round: far apart at first, closer after seeing the result, agreed in the third round.
SCORES = {
    "Anne": ((3, 2, 1, 3), (3, 3, 2, 2), (3, 3, 3, 1)),
    "Bart": ((3, 1, 3, 1), (3, 3, 3, 1), (3, 3, 3, 1)),
    "Chris": ((1, 3, 2, 3), (3, 3, 2, 1), (3, 3, 3, 1)),
    "Dirk": ((2, 3, 1, 2), (2, 3, 3, 2), (3, 3, 3, 2)),
}
