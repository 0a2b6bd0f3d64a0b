"""The messages about reading what people typed: the sheets of a caseworker's workbook, and
the cells of a returned accounts workbook read back, with their codes.

Part of the registry of :mod:`grantdocs.messages` (listed by
:func:`grantdocs.messages.registry`). Like :mod:`grantdocs.messages`, its English
strings quote what a Norwegian sheet holds (``Saksnummer``, ``450 000,50``).
"""

from __future__ import annotations

from grantdocs.catalog import N_, Message

# The sheets of a caseworker's workbook (grantdocs.readers.xlsxfile) ------------------------

IN_SHEET = Message(None, N_("{file}, sheet {sheet}"))
NO_SUCH_SHEET = Message(
    "GD-E075", N_("{file}: the workbook has no sheet {sheet}; did you mean {close}? Its sheets "
                  "are {names}"))
NO_SUCH_SHEET_NO_MATCH = Message(
    "GD-E076", N_("{file}: the workbook has no sheet {sheet}; its sheets are {names}"))
SHEET_EMPTY = Message("GD-E077", N_("{where}: the sheet is empty; expected a header row and one "
                                    "row per case"))
NO_VISIBLE_SHEET = Message("GD-E078", N_("{file}: the workbook has no visible worksheet"))
WORKBOOK_EMPTY = Message("GD-E079", N_("{file}: the workbook is empty; expected a header row "
                                       "and one row per case"))
NO_SHEET_HAS_HEADER = Message(
    "GD-E085", N_("{file}: no sheet has a header row in its first {rows} rows (sheets {sheets}); "
                  "name the columns as Saksnummer, Vedtak, ... or pick the sheet with --sheet "
                  "NAME"))
SHEET_ROW_UNREADABLE = Message("GD-E086",
                               N_("{file}: sheet {sheet}, row {row} cannot be read: {reason}"))

# Cells of a returned workbook read back (grantdocs.readers.accounts_return) -----------------
# Checklists word them from templates/<lang>/checklist.toml, [readback]; read-accounts says
# them in the user's language from these.

FORMULA_UNSAVED = Message(
    "GD-E200", N_("{cell}: holds a formula ({formula}) whose result is not saved in the file; "
                  "type the amount"))
AMOUNT_UNREADABLE = Message(
    "GD-E201", N_("{cell}: '{value}' cannot be read as an amount; write kroner like 450 000 or "
                  "450 000,50"))
DATE_UNREADABLE = Message(
    "GD-E202", N_("{cell}: '{value}' cannot be read as a date; write dates like 15.03.2023"))
TEXT_UNREADABLE = Message("GD-E203", N_("{cell}: the cell cannot be read ({value})"))
FORMULA_USED = Message(
    "GD-W030", N_("{cell}: holds a formula ({formula}); its saved result {value} was used"))
UNNAMED_LINE = Message("GD-W031", N_("{cell}: a cost line without a name"))
NO_ACTUAL = Message("GD-W032", N_("{cell}: no actual amount for '{name}' (counted as 0)"))
BUDGET_CHANGED = Message(
    "GD-W033", N_("{cell}: the approved budget for '{name}' was {approved}, the sheet says "
                  "{budget}"))
LABEL_MISSING = Message("GD-W034", N_("no row labelled '{label}'"))
READBACK = {
    "formula_unsaved": FORMULA_UNSAVED, "amount_unreadable": AMOUNT_UNREADABLE,
    "date_unreadable": DATE_UNREADABLE, "text_unreadable": TEXT_UNREADABLE,
    "formula_used": FORMULA_USED, "unnamed_line": UNNAMED_LINE, "no_actual": NO_ACTUAL,
    "budget_changed": BUDGET_CHANGED, "label_missing": LABEL_MISSING,
}
"""The message of each code of :data:`grantdocs.accounts_model.READBACK_CODES`."""
