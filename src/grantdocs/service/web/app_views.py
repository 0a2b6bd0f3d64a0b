"""What the caseworker's templates show of a batch: plain values, dates in Norwegian.

Dates and times are shown in Norwegian time (Europe/Oslo), the date written out
(``1. desember 2026``) and the time as Norwegian writes it (``15.40``); the words
around them (``kl.``) are the templates' (``[app]`` in ``web.toml``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from grantdocs.formatting import format_date_long
from grantdocs.service.db import Batch

OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class When:
    date: str
    time: str
    iso: str


def when(moment: dt.datetime, lang: str) -> When:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(OSLO)
    return When(format_date_long(local.date(), lang), local.strftime("%H.%M"),
                local.isoformat(timespec="minutes"))


@dataclass(frozen=True)
class BatchView:
    id: str
    name: str
    status: str
    created: When
    total: int
    written: int
    failed: int
    error: str | None

    @property
    def finished(self) -> int:
        return self.written + self.failed

    @property
    def ended(self) -> bool:
        return self.status in ("done", "failed")


def batch_view(batch: Batch, lang: str) -> BatchView:
    return BatchView(batch.id, batch.upload_name, batch.status, when(batch.created_at, lang),
                     batch.total, batch.written, batch.failed, batch.error)


def batch_rows(batches: Iterable[Batch], lang: str) -> list[BatchView]:
    return [batch_view(b, lang) for b in batches]
