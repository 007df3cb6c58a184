"""Users: the account table, and the /api/users endpoints."""
