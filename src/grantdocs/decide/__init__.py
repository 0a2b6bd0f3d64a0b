"""Deciding what a document says: the typed records that writers turn into bytes."""
