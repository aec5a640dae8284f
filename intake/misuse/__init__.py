"""Misuse of the channel: lower trust after repeated spam decisions, suspended reporter
keys, and `flask reporters`."""
