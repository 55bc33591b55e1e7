"""Data portability and privacy: the archive format, and the retention clock (pure logic)."""
