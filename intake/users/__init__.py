"""Staff accounts, sign-in and its throttling, roles and desks, and `flask users`."""
