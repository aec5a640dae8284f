"""Staff search by tracking code, link, caller digits or claim words, and its index."""
