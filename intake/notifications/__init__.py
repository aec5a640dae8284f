"""Reporters' mail: the outbox, SMTP delivery with retries, unsubscribe, the admin
outbox page, and `flask notifications`."""
