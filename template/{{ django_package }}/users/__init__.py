"""Users: the custom user model."""
