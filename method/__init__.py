"""The method's own logic, as plain functions over plain data: no Telegram, no SQL.

Everything the steering group's method computes or parses lives here: voting figures and the
consensus rule, themes and the MVO-scan, the dialogue's commands, dream images, the SMART check,
the closing evaluation, dates as people write them, the method's steps, the archive format and
ballot pseudonyms. It imports nothing of ours (``tests/architecture/test_layers.py`` checks), so
``storage/`` and ``conversations/`` can use it and it is tested without a bot or a database.
"""
