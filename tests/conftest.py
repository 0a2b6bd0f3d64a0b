"""Shared fixtures: cases built in code, renderers, and the independent readers."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from grantdocs.letters import LetterRenderer
from grantdocs.model import Case

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

NB_TEXT = {
    "title": "Møteplasser og språkkafé for nye landsmenn",
    "target_groups": ["nyankomne flyktninger", "frivillige i nærmiljøet"],
    "result_goals": ["40 deltakere på språkkafeen hver uke", "10 nye frivillige rekruttert"],
    "conditions": ["Prosjektet skal samarbeide med kommunen om rekruttering."],
    "reason_text": "Vi har lagt vekt på at tiltaket når få deltakere sammenlignet med budsjettet.",
}
NN_TEXT = {
    "title": "Møteplassar og språkkafé for nye landsmenn",
    "target_groups": ["nykomne flyktningar", "frivillige i nærmiljøet"],
    "result_goals": ["40 deltakarar på språkkafeen kvar veke", "10 nye frivillige rekrutterte"],
    "conditions": ["Prosjektet skal samarbeide med kommunen om rekruttering."],
    "reason_text": "Vi har lagt vekt på at tiltaket når få deltakarar samanlikna med budsjettet.",
}


def make_case(kind: str = "granted", lang: str = "nb", *, granted: int | None = None,
              requested: int = 450_000, **overrides: Any) -> Case:
    """A valid case of ``kind`` in ``lang``; ``overrides`` replace top-level sections' fields."""
    text = NB_TEXT if lang == "nb" else NN_TEXT
    if granted is None:
        granted = {"granted": requested, "partial": requested // 2, "rejected": 0}[kind]
    data: dict[str, Any] = {
        "organisation": {
            "org_number": "974760673", "name": "Sámi Searvi Ŋuvttat", "address": "Storgata 33 A",
            "postcode": "0184", "city": "Oslo", "contact_person": "Áilu Čuđe",
            "email": "post@example.no", "bank_account": "86011117947", "language": lang,
        },
        "application": {
            "reference": "S-2022-0042", "title": text["title"], "kind": "project",
            "sub_goals": ["A", "B"], "amount_requested": str(requested), "annual_budget": "800000",
            "date_applied": "2022-01-15", "period_start": "2022-03-01", "period_end": "2022-12-31",
            "target_groups": text["target_groups"], "result_goals": text["result_goals"],
        },
        "decision": {
            "case_number": "22/00123-4", "kind": kind, "date": "2022-03-15",
            "amount_granted": str(granted),
            "reason_codes": [] if kind == "granted" else ["limited-funds", "unrealistic-budget"],
            "reason_text": None if kind == "granted" else text["reason_text"],
            "conditions": text["conditions"] if kind != "rejected" else [],
            "payment_date": "2022-04-01" if kind != "rejected" else None,
            "caseworker": "Ola Søreide", "approver": "Ingrid Haaland",
        },
    }
    for section, values in overrides.items():
        data[section] = {**data[section], **values}
    return Case.model_validate(data)


@pytest.fixture(scope="session")
def renderer() -> LetterRenderer:
    return LetterRenderer()


@pytest.fixture(scope="session")
def case_factory() -> Callable[..., Case]:
    return make_case


def pdftotext(data: bytes, *, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()


def docx_text(data: bytes) -> str:
    """All text of a DOCX as python-docx reads it: body paragraphs, tables, header, footer."""
    import docx

    document = docx.Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def require_tool(name: str) -> str:
    """The path of a tool the project's set-up installs; fail loudly when it is missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run the tests through ./run.sh test, "
                    "which installs it")
    return path


_SHARED: dict[str, LetterRenderer] = {}


def rendered(kind: str, lang: str, fmt: str) -> bytes:
    """The standard test letter of ``kind`` in ``lang`` as ``fmt``, rendered once per session."""
    key = f"{kind}/{lang}/{fmt}"
    cache = _RENDERED
    if key not in cache:
        renderer = _SHARED.setdefault("r", LetterRenderer())
        cache[key] = renderer.render(make_case(kind, lang), fmt)  # type: ignore[arg-type]
    return cache[key]


_RENDERED: dict[str, bytes] = {}
