"""The desk dashboard: SLA figures per desk and the audit trail browser."""
