"""What a team's PostgreSQL store has where SQLite has something of its own: the messages' rowid and the search.

Revision ID: 0018_postgresql_store
Revises: 0017_team_coordination

On SQLite nothing changes. On PostgreSQL:
- messages get `rowid`, numbered in insertion order as SQLite's implicit one is: the outbox tells a reply's arrival
  from a message already stored by it (store/outbox.py), and equal times are ordered by it;
- the search folds text inside the database: `magazyn_fold` (lower case after unaccent, which also turns ł into l)
  is immutable, so trigram indexes (pg_trgm) can be built on it, over the message text, the buyer's login, order ids,
  waybills and the orders' line items (their SKUs and product names, `magazyn_order_terms`).
unaccent and pg_trgm are trusted extensions (PostgreSQL 13 and later): the owner role of the database may create
them. The models declare none of this, as they declare none of SQLite's search tables.
"""

from __future__ import annotations

from alembic import op

from magazyn_desktop.store.migration_dialect import POSTGRESQL_ONLY_INDEXES, on_sqlite

revision = "0018_postgresql_store"
down_revision = "0017_team_coordination"
branch_labels = None
depends_on = None

_FOLD = """
CREATE FUNCTION magazyn_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$"""

# The SKUs and product names of a cached order's line items (store/orders.py's JSON), one a line; none when the
# JSON is damaged or of another shape, as on SQLite (store/search_terms.py).
_ORDER_TERMS = """
CREATE FUNCTION magazyn_order_terms(form text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    items jsonb;
BEGIN
    items := form::jsonb -> 'order' -> 'line_items';
    IF jsonb_typeof(items) IS DISTINCT FROM 'array' THEN
        RETURN '';
    END IF;
    RETURN coalesce((
        SELECT string_agg(concat_ws(E'\\n', item ->> 'sku', item ->> 'name'), E'\\n')
        FROM jsonb_array_elements(items) AS item WHERE jsonb_typeof(item) = 'object'), '');
EXCEPTION WHEN others THEN
    RETURN '';
END
$$"""

_INDEXES = {
    "ix_messages_conversation_rowid": "ON messages (conversation_id, rowid)",
    "ix_messages_text_trgm": "ON messages USING gin (magazyn_fold(text) gin_trgm_ops)",
    "ix_conversations_login_trgm": "ON conversations USING gin (magazyn_fold(interlocutor_login) gin_trgm_ops)",
    "ix_conversations_order_id_trgm": "ON conversations USING gin (lower(order_id) gin_trgm_ops)",
    "ix_tracking_numbers_waybill_trgm": "ON tracking_numbers USING gin (lower(waybill) gin_trgm_ops)",
    "ix_orders_line_items_trgm": ("ON orders USING gin "
                                  "(magazyn_fold(magazyn_order_terms(checkout_form_json)) gin_trgm_ops)"),
}
assert set(_INDEXES) == set(POSTGRESQL_ONLY_INDEXES)


def upgrade() -> None:
    if on_sqlite():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    op.execute("ALTER TABLE messages ADD COLUMN rowid bigint GENERATED ALWAYS AS IDENTITY")
    op.execute(_FOLD)
    op.execute(_ORDER_TERMS)
    for name, definition in _INDEXES.items():
        op.execute(f"CREATE INDEX {name} {definition}")


def downgrade() -> None:
    if on_sqlite():
        return
    for name in _INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute("DROP FUNCTION IF EXISTS magazyn_order_terms(text)")
    op.execute("DROP FUNCTION IF EXISTS magazyn_fold(text)")
    op.execute("ALTER TABLE messages DROP COLUMN IF EXISTS rowid")
