"""The app's vocabulary: kinds, roles, states, limits and the plain records every layer exchanges.

It sits below every other layer and imports none of them, nor Qt, SQLAlchemy or httpx: the window, the SQL, the
client and the sync engine all spell a kind, a limit or a state from here, so each has exactly one definition.
"""
