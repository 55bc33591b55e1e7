"""Dream images (step 5): the DOCX template, duplicate proposals, the calendar invitation, command parsing."""
