"""The window and everything on it (Qt)."""
