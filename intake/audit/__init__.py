"""The append-only audit trail, and its events as sentences people read."""
