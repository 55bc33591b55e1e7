"""``python -m bot`` is the same as the ``kopgroep`` command."""

from bot.cli import main

raise SystemExit(main())
