"""Trusted partners: API keys, the bearer-key check, their trust in priority,
suspension, and `flask partners`."""
