"""Casework: the desk queues, claims, the case page, decisions, reopen, merging, SLA
and priority, and `flask cases`."""
