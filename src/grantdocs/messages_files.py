"""The messages about grantees' returned workbooks and XLSX containers, with their codes.

Part of the registry of :mod:`grantdocs.messages` (which lists them in
:func:`grantdocs.messages.registry`); kept apart so each module stays a short list.
The zip guard's reasons (``GD-E135`` ...) are shown inside :data:`UNREADABLE_XLSX`
(a returned workbook) or :data:`SHEET_REFUSED` (a caseworker's sheet); a limit a
genuine file may break adds :data:`LIMIT_REFUSED`'s advice.
"""

from __future__ import annotations

from grantdocs.catalog import N_, Message

# Parts: no code of their own; the code is the reason's ------------------------------------

UNREADABLE_XLSX = Message(None, N_("not a readable XLSX workbook: {why}"))
LIMIT_REFUSED = Message(
    None, N_("{why}; if the file is genuine, raise the limit: set the environment variable "
             "{variable}"))
SHEET_REFUSED = Message(None, N_("{file}: cannot be opened as an Excel workbook (.xlsx): {why}"))
RETURN_REFUSED = Message(None, "{problem}",
                         N_("send the grantee the workbook grantdocs wrote for them"))
RETURNED_REFUSED = Message(None, N_("returned workbook refused: {problem}"),
                           N_("send the grantee the workbook grantdocs wrote for them"))

# Reading the file (grantdocs.readers.zipguard) ----------------------------------------------

RETURN_NOT_REGULAR = Message(
    "GD-E130", N_("not a regular file (a folder, pipe or device): give the returned workbook "
                  "as a file"))
RETURN_NOT_FOUND = Message("GD-E131", N_("file not found"))
RETURN_PERMISSION = Message("GD-E132", N_("the file cannot be read (permission denied)"))
RETURN_SWAPPED = Message("GD-E133", N_("not a regular file: give the returned workbook as a file"))
RETURN_TOO_LARGE = Message(
    "GD-E134", N_("the returned workbook is over the limit of {limit} MB; raise the limit: set "
                  "the environment variable {variable}"))

# The zip container's parts (grantdocs.readers.zipguard) ------------------------------------

ZIP_MEMBER_OUTSIDE = Message("GD-E135", N_("a member lies outside the file"))
ZIP_HEADER_DAMAGED = Message("GD-E136", N_("a member's header is damaged"))
ZIP_PARTS_HOLD = Message("GD-E137", N_("its parts hold more than {size} MB"))
ZIP_METHOD = Message("GD-E138", N_("a member is compressed with a method XLSX does not use"))
ZIP_CUT_OFF = Message("GD-E139", N_("a member is cut off"))
ZIP_MEMBER_DAMAGED = Message("GD-E140", N_("a damaged member ({member}: {reason})"))
ZIP_INFLATES = Message("GD-E141", N_("its parts inflate to more than {size} MB"))
ZIP_RATIO = Message("GD-E142", N_("{member} inflates more than {ratio} times (a zip bomb?)"))
ZIP_CRC = Message("GD-E143", N_("a damaged member ({member}: CRC mismatch)"))
NOT_A_ZIP = Message("GD-E144", N_("not a readable XLSX workbook: {reason}"))
ZIP_TOO_MANY_PARTS = Message("GD-E145", N_("it has {count} parts, over the limit of {limit}"))
ZIP_ENCRYPTED = Message("GD-E146", N_("it is encrypted"))

# The workbook's sheets (grantdocs.readers.return_workbook, .xlsxfile) ------------------------

RETURN_UNREADABLE = Message("GD-E147", N_("not a readable XLSX workbook: {kind}: {reason}"))
RETURN_CELL_TOO_LONG = Message(
    "GD-E148", N_("{cell} holds {count} characters, over the limit of {limit} per cell of a "
                  "returned workbook; shorten it, or raise the limit: set the environment "
                  "variable {variable}"))
SHEET_FILE_TOO_LARGE = Message(
    "GD-E149", N_("{file}: the file is over the limit of {limit} MB; raise the limit: set the "
                  "environment variable {variable}"))
SHEET_CANNOT_OPEN = Message("GD-E150",
                            N_("{file}: cannot be opened as an Excel workbook (.xlsx): {reason}"))

# The workbook's identifiers and layout (grantdocs.readers.accounts_return) ------------------

RETURN_NO_ROW = Message(
    "GD-E151", N_("sheet {sheet}: no row labelled {label} in column A; the workbook's layout was "
                  "changed too much to read it back (only its first {rows} rows are read)"))
RETURN_NO_IDS = Message(
    "GD-E152", N_("no hidden {sheet} sheet: this is not an accounts workbook from grantdocs (or "
                  "the sheet was deleted); send the grantee the workbook grantdocs wrote"))
RETURN_SIGNATURE = Message(
    "GD-E153", N_("the workbook's signature does not match (it says it is for {claimed}): it was "
                  "not made by this installation of grantdocs, or it was altered after it was "
                  "sent; ask the grantee to fill in the workbook they were sent. If this "
                  "installation's secret key was changed, set {variable} to the old key"))
RETURN_IDS_MISSING = Message("GD-E154",
                             N_("the hidden identifiers lack {keys}: the workbook was altered"))
RETURN_SCHEMA_UNKNOWN = Message("GD-E155", N_("unknown workbook schema {schema}"))
RETURN_SCHEMA_VERSION = Message(
    "GD-E156", N_("workbook schema version {version} is not supported (this grantdocs reads "
                  "version {supported})"))
RETURN_NO_COST_TABLE = Message("GD-E157",
                               N_("no sheet has the cost table (header {label} in column A)"))
RETURN_IDS_ALTERED = Message("GD-E158",
                             N_("the workbook's identifiers were altered: {differences}"))
RETURN_OTHER_DECISION = Message(
    "GD-E159", N_("the workbook belongs to another decision than {reference} (workbook ≠ "
                  "decision): {differences}"))
RETURN_GRANT_NOT_NUMBER = Message("GD-E160", N_("hidden grant amount {value} is not a number"))
RETURN_DECISION_NOT_GIVEN = Message(
    "GD-E161", N_("decision {reference} is not among the valid records in {files}"))
RETURN_CHANGED = Message(
    "GD-E162", N_("the file changed after this run read it (its bytes are not the ones planned); "
                  "run the command again"))

NO_CLAIM = Message(None, N_("(none)"))
DIFFERENCE = Message(None, "{what}: {left} ≠ {right}")
SHEET_REFERENCE = Message(None, N_("reference (sheet vs. hidden identifiers)"))
SHEET_ORG_NUMBER = Message(None, N_("organisation number (sheet vs. hidden identifiers)"))
SHEET_GRANT = Message(None, N_("grant (sheet vs. hidden identifiers)"))
CASE_REFERENCE = Message(None, N_("reference"))
CASE_ORG_NUMBER = Message(None, N_("organisation number"))
CASE_GRANT = Message(None, N_("grant"))
