"""What grantees send back through their link: the accounts workbook and the annual report.

* :func:`read_return` (run in a render worker: plain data in and out) reads a returned
  accounts workbook as ``grantdocs read-accounts`` does: a regular file within the
  returned-workbook limits (size, zip members, inflated bytes counted while inflating:
  :mod:`grantdocs.readers.zipguard`), its hidden identifiers signed with the service's
  key and belonging to the link's grant (:func:`grantdocs.readers.accounts_return.read_accounts`).
  What it gives is the page's outcome, in the grant's written form: the figures, the
  unspent amount, the lines over the scheme's deviation threshold that have no
  explanation, what is missing (other income, own contribution, the signature, the
  auditor's statement when the grant needs one) and the reader's own notes; or why the
  workbook was refused (the library's message, in nb or nn).
* :func:`report_format` tells a PDF, DOCX or ODT by its content (its first bytes, and a
  zip's table of contents and ``mimetype``), never by its name; :func:`report_is_sound`
  then puts a DOCX or ODT through the zip guard (a zip bomb is refused, never kept), and
  :func:`report_active` refuses one with active content (macros, OLE objects, external
  templates, PDF JavaScript or actions); a returned workbook with formulas the workbook
  grantdocs makes does not have, macros or external links is refused too.
* :func:`store_upload` keeps a file under ``<data>/grantee/<link_id>/``, named by the
  service (``<kind>-<time>-<sha256 prefix>.<format>``; the client's name is only shown),
  and records it; the previous upload of its kind gets ``replaced_by`` (its history).
  A link keeps at most :data:`LINK_FILES` files of each kind and :data:`LINK_MB` MB in
  all (``GRANTDOCS_LINK_MAX_FILES``, ``GRANTDOCS_LINK_MAX_MB``): past that the oldest
  replaced files are deleted (:func:`prune_uploads`), their history rows kept with
  ``removed_at`` set.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from grantdocs.service.db import GranteeUpload, utcnow
from grantdocs.service.web.links import UploadInfo, upload_info

if TYPE_CHECKING:
    from grantdocs.service.deps import Service

KINDS = ("accounts", "report")
REPORT_FORMATS = ("pdf", "docx", "odt")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
REPORT_MB = 20.0
"""The largest annual report taken (``GRANTDOCS_MAX_REPORT_MB``), below the body limit."""
MAX_REPORT_MEMBERS = 10_000
# Why a returned workbook was refused, for the grantee: the library's message code
# (grantdocs.messages_files) -> the key of the page's own explanation ([grantee.refusals]).
REFUSALS = {
    "GD-E134": "too_large",
    **{f"GD-E{n}": "damaged" for n in (*range(135, 148), 148, 150)},
    **{f"GD-E{n}": "not_ours" for n in (151, 152, 154, 155, 156, 157)},
    **{f"GD-E{n}": "altered" for n in (153, 158, 160)},
    "GD-E159": "other_grant",
}


def max_report_bytes(environ: Mapping[str, str]) -> int:
    text = environ.get("GRANTDOCS_MAX_REPORT_MB", "").strip()
    try:
        value = float(text) if text else REPORT_MB
    except ValueError:
        value = REPORT_MB
    return int((value if value > 0 else REPORT_MB) * 1024 * 1024)


def grantee_folder(data_dir: Path, link_id: str) -> Path:
    if not link_id or not all(c.isalnum() or c in "-_" for c in link_id):
        raise ValueError(f"not a link id: {link_id!r}")
    return data_dir / "grantee" / link_id


# --- what a file is -----------------------------------------------------------------------

def report_format(data: bytes) -> str | None:
    """``pdf``, ``docx`` or ``odt`` by content, else None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_REPORT_MEMBERS:
                return None
            names = {info.filename for info in infos}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
            mimetype = next((i for i in infos if i.filename == "mimetype"), None)
            if mimetype is not None and mimetype.file_size <= len(ODT_MIMETYPE) + 2 \
                    and "content.xml" in names:
                with archive.open(mimetype) as member:
                    if member.read(len(ODT_MIMETYPE) + 2).strip() == ODT_MIMETYPE:
                        return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    return None


def report_is_sound(data: bytes, fmt: str) -> bool:
    """Whether a DOCX or ODT report passes the zip guard of caseworkers' XLSX files
    (members, inflated size and ratio counted while inflating, then dropped): a zip bomb
    named ``.docx`` is refused, not kept for a caseworker to open. A PDF is kept as sent."""
    from grantdocs.errors import AccountsError
    from grantdocs.limits import current_limits
    from grantdocs.readers.zipguard import vet_sheet_zip

    if fmt == "pdf":
        return True
    try:
        vet_sheet_zip(data, current_limits())
    except AccountsError:
        return False
    return True


def report_active(data: bytes, fmt: str) -> str | None:
    """What a sound report holds that would run or reach out when a caseworker opens it
    (macros, OLE objects, an external template or frame, DDE fields, PDF JavaScript or
    actions: :mod:`grantdocs.readers.active_content`), else None. Run in a render worker:
    pypdf on a hostile PDF is CPU work."""
    from grantdocs.readers.active_content import office_active, pdf_active

    return pdf_active(data) if fmt == "pdf" else office_active(data)


# --- reading a returned workbook (in a render worker) ---------------------------------------

def _line(line: Any) -> dict[str, Any]:
    from grantdocs.formatting import format_amount, format_percent

    return {"name": line.name, "budget": format_amount(line.budget),
            "actual": format_amount(line.actual) if line.actual is not None else "",
            "deviation": format_amount(line.deviation),
            "deviation_pct": format_percent(line.deviation_pct, 1, ratio=False)
            if line.deviation_pct is not None else "",
            "comment": line.comment or "", "added": line.added}


def read_return(path: str, case_json: str, lang: str, scheme: str | None) -> dict[str, Any]:
    """The page's outcome of the workbook at ``path`` for the link's case (see the module
    doc): ``{"status": "read", ...}`` or ``{"status": "refused", "message": ...}``."""
    from grantdocs.accounts_model import COL_COMMENT
    from grantdocs.decide.checklist import readback_notes
    from grantdocs.errors import GrantdocsError
    from grantdocs.formatting import format_amount, format_percent
    from grantdocs.i18n import Lang, error_text
    from grantdocs.limits import current_limits
    from grantdocs.model import Case
    from grantdocs.readers.accounts_return import read_accounts
    from grantdocs.readers.active_content import formulas_active, office_active
    from grantdocs.readers.zipguard import read_regular_file
    from grantdocs.render.labels import load_labels
    from grantdocs.scheme import load_scheme
    from grantdocs.service.rendering import bundled_path

    written: Lang = "nn" if lang == "nn" else "nb"
    case = Case.model_validate_json(case_json)
    try:
        data = read_regular_file(Path(path), current_limits())
        accounts = read_accounts(data, case)  # zip-guarded, signed, this grant's
        if office_active(data) is not None or formulas_active(data, COL_COMMENT) is not None:
            return {"status": "refused", "reason": "active", "message": ""}
    except GrantdocsError as exc:
        code = exc.text.code if exc.text is not None else ""
        return {"status": "refused", "reason": REFUSALS.get(code or "", "damaged"),
                "message": error_text(exc, written)}
    except (OSError, ValueError):  # past every check the reader makes: unreadable
        return {"status": "refused", "reason": "damaged", "message": ""}
    rules = load_scheme(bundled_path("scheme", scheme))
    labels = load_labels("checklist.toml", written)
    pct = rules.limits.deviation_explain_pct
    explain = [_line(line) for line in accounts.lines if line.exceeds(pct) and not line.comment]
    missing: list[dict[str, str]] = []
    if accounts.other_income is None:
        missing.append({"key": "other_income"})
    if accounts.own_contribution is None:
        missing.append({"key": "own_contribution"})
    if not accounts.signed_by or accounts.signed_date is None:
        missing.append({"key": "signature"})
    if rules.audit_required(accounts.grant) and not accounts.auditor.complete:
        fields = ", ".join(labels["auditor_fields"][k] for k in accounts.auditor.missing())
        missing.append({"key": "auditor", "fields": fields})
    amount = format_amount

    def maybe(value: Decimal | None) -> str:
        return amount(value) if value is not None else ""

    return {
        "status": "read",
        "lines": [_line(line) for line in accounts.lines],
        "grant": amount(accounts.grant),
        "total_budget": amount(accounts.total_budget),
        "total_actual": amount(accounts.total_actual),
        "other_income": maybe(accounts.other_income),
        "own_contribution": maybe(accounts.own_contribution),
        "grant_funded": amount(accounts.grant_funded),
        "unspent": amount(accounts.unspent),
        "unspent_value": str(accounts.unspent),
        "nothing_unspent": accounts.unspent <= 0,
        "threshold": format_percent(pct, 0, ratio=False),
        "explain": explain,
        "missing": missing,
        "notes": list(readback_notes(accounts, labels)),
    }


# --- keeping what was sent ------------------------------------------------------------------

def store_upload(state: Service, link_id: str, kind: str, filename: str, data: bytes,
                 fmt: str, outcome: dict[str, Any] | None) -> UploadInfo:
    """Keep ``data`` as the link's newest ``kind`` upload; the previous one is history."""
    import hashlib

    from grantdocs.files import atomic_write

    if kind not in KINDS:
        raise ValueError(f"not an upload kind: {kind!r}")
    received = utcnow()
    digest = hashlib.sha256(data).hexdigest()
    folder = grantee_folder(state.settings.data_dir, link_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{kind}-{received.strftime('%Y%m%dT%H%M%S%f')}-{digest[:12]}.{fmt}"
    atomic_write(folder / name, data)
    shown = " ".join(Path(filename.replace("\\", "/")).name.split())[:255]
    with state.sessions() as session:
        row = GranteeUpload(link_id=link_id, kind=kind, filename=shown,
                            stored=str(Path("grantee") / link_id / name), sha256=digest,
                            bytes=len(data), received_at=received, outcome=outcome)
        session.add(row)
        session.flush()
        session.execute(update(GranteeUpload).where(
            GranteeUpload.link_id == link_id, GranteeUpload.kind == kind,
            GranteeUpload.replaced_by.is_(None), GranteeUpload.id != row.id)
            .values(replaced_by=row.id))
        session.commit()
        info = upload_info(row)
    prune_uploads(state, link_id)
    return info


# --- the link's quota -----------------------------------------------------------------------

LINK_FILES = 10
"""Files kept per kind and link (``GRANTDOCS_LINK_MAX_FILES``): the newest ones."""
LINK_MB = 100.0
"""Bytes kept per link, all kinds (``GRANTDOCS_LINK_MAX_MB``)."""


def link_quota(environ: Mapping[str, str]) -> tuple[int, int]:
    """(files kept per kind, bytes kept per link) from the settings, else the defaults."""
    def number(name: str, default: float) -> float:
        try:
            value = float(environ.get(name, "").strip() or default)
        except ValueError:
            return default
        return value if value > 0 else default

    return (int(number("GRANTDOCS_LINK_MAX_FILES", LINK_FILES)),
            int(number("GRANTDOCS_LINK_MAX_MB", LINK_MB) * 1024 * 1024))


def prune_uploads(state: Service, link_id: str) -> list[int]:
    """Delete the stored files of the link's oldest replaced uploads beyond its quota
    (:func:`link_quota`); the newest upload of each kind is always kept. Their history
    rows stay, with ``removed_at`` set. Returns the ids of the uploads removed."""
    files, most = link_quota(state.settings.environ)
    root = state.settings.data_dir.resolve()
    folder = grantee_folder(root, link_id)
    doomed: list[Path] = []
    removed: list[int] = []
    with state.sessions() as session:
        rows = session.scalars(select(GranteeUpload).where(
            GranteeUpload.link_id == link_id, GranteeUpload.removed_at.is_(None))
            .order_by(GranteeUpload.id.desc())).all()
        kept: dict[str, int] = {}
        total = 0
        for row in rows:  # newest first
            if row.replaced_by is not None and (kept.get(row.kind, 0) >= files
                                                or total + row.bytes > most):
                row.removed_at = utcnow()
                removed.append(row.id)
                path = (root / row.stored).resolve()
                if path.parent == folder:
                    doomed.append(path)
                continue
            kept[row.kind] = kept.get(row.kind, 0) + 1
            total += row.bytes
        session.commit()
    for path in doomed:
        path.unlink(missing_ok=True)
    return removed


def history(state: Service, link_id: str) -> list[UploadInfo]:
    """Every upload through the link, newest first."""
    with state.sessions() as session:
        rows = session.scalars(select(GranteeUpload).where(GranteeUpload.link_id == link_id)
                               .order_by(GranteeUpload.id.desc())).all()
        return [upload_info(row) for row in rows]


def received_text(moment: dt.datetime, lang: str) -> tuple[str, str]:
    """(date, time) of ``moment`` in Europe/Oslo: ``1. desember 2026``, ``16.05``."""
    from grantdocs.formatting import format_date_long
    from grantdocs.service.web.links import OSLO

    local = moment.astimezone(OSLO)
    return format_date_long(local.date(), lang), local.strftime("%H.%M")
