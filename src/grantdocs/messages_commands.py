"""The summaries the commands print (``stats``, ``export``, ``token``), with their codes.

Part of the registry of :mod:`grantdocs.messages` (listed by
:func:`grantdocs.messages.registry`).
"""

from __future__ import annotations

from grantdocs.catalog import N_, Message

STATS_LEFT_OUT = Message(
    "GD-I013", N_("{count} invalid record left out of the statistics; {counted} counted"),
    plural=N_("{count} invalid records left out of the statistics; {counted} counted"))
STATS_WRITTEN = Message("GD-I014", N_("{file} written ({size} bytes)"))
EXPORT_WRITTEN = Message("GD-I015", N_("{file}: {awards} awards, {total}{left_out}"))
EXPORT_LEFT_OUT = Message(None, N_("; {count} invalid records left out"))
TOKEN_CREATED = Message(
    "GD-I016", N_("token {name} created (id {id}); send it as 'Authorization: Bearer <token>'. "
                  "It is not shown again:"))
TOKEN_REVOKED = Message("GD-I017", N_("token {name} revoked"))
TOKEN_ACTIVE = Message(None, N_("active"))
TOKEN_REVOKED_AT = Message(None, N_("revoked {when}"))
TOKEN_HEADER = Message(None, N_("id\tname\tcreated\tstate"))
