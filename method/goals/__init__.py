"""SMART goals (step 6): the check and the order of the questions. No Telegram, no SQL."""
