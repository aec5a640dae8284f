"""Claim matching: a new report about an already-decided case shows that verdict,
moves P(actionable), and the moderator may apply it in one action."""
