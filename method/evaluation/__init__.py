"""The closing evaluation (step 8), pure logic: the questions in order, and the digest's order."""
