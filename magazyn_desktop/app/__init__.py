"""The composition layer: the one place that wires the parts together.

It builds the backend (store, client, sync engine, outbox) for an account or the fake Allegro, connects accounts,
reads the settings file, and runs the headless commands through the same launch steps as the window. Nothing below
it imports it.
"""
