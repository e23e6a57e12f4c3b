"""magazyn-desktop: one inbox for an Allegro seller's buyer conversations."""

__version__ = "0.1.0"
APP_NAME = "magazyn-desktop"
