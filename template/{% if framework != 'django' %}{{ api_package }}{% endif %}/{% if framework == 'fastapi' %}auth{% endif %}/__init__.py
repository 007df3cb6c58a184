"""Authentication: password hashing, JWT access tokens, signup and login."""
