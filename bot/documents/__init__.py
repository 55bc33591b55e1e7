"""Files the bot writes: the voting chart, the council's report, the dream-image template, the calendar invitation."""
