"""Every message grantdocs prints, once, with its stable code: the registry.

A :class:`Message` is a code (``GD-E012`` an error, ``GD-W003`` a warning,
``GD-I001`` a summary) and its English catalog string, with ``{named}`` fields
for the values. Calling it with the values gives a :class:`Text`; its English
form is ``str(text)``, and :mod:`grantdocs.i18n` gives it in Bokmål or Nynorsk
from the gettext catalogs under ``locale/``. The catalog string is always the
format; the values (a header as written, a cell's text) are data put into it,
never formats themselves.

Codes are stable: a message whose meaning changes gets a new code, and a code
that is no longer used goes to :data:`RETIRED`, never to another message.
Parts of messages (``row {row}``, "error") have no code of their own.
``docs/messages.md`` is generated from this module (``tools/catalogs.py``). The messages
of returned workbooks and XLSX containers (:mod:`grantdocs.messages_files`), of sheets and
cells as typed (:mod:`grantdocs.messages_readers`), issuer
profiles and scheme files (:mod:`grantdocs.messages_issuer`), the commands' summaries
(:mod:`grantdocs.messages_commands`), the command line's usage errors
(:mod:`grantdocs.messages_cli`) and the service's start and stop
(:mod:`grantdocs.messages_service`) are kept beside it; :func:`registry` lists them all.

Marking a new message: add ``NAME = Message("GD-E0NN", N_("..."), N_("hint"))``
below with the next free code of its kind, raise or report ``NAME(field=value)``
(``GrantdocsError(NAME(...))``, ``errors.error(NAME(...), location)``), then run
``python tools/catalogs.py`` and translate the new entries of
``locale/nb/LC_MESSAGES/grantdocs.po`` and ``locale/nn/...``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from grantdocs.catalog import N_ as N_
from grantdocs.catalog import Message as Message
from grantdocs.catalog import Param as Param
from grantdocs.catalog import Text as Text
from grantdocs.catalog import Translate as Translate
from grantdocs.catalog import fields as fields
from grantdocs.catalog import joined as joined


def in_column(column: Param, problem: Text) -> Text:
    """``problem`` prefixed by the column it is in ("Innvilget beløp: ..."); its code is
    the problem's."""
    return COLUMN_PROBLEM(column=column, problem=problem)


# Parts: no code of their own -------------------------------------------------------------

ERROR = Message(None, N_("error"))
WARNING = Message(None, N_("warning"))
ROW = Message(None, N_("row {row}"))
ROWS = Message(None, N_("rows {rows}"))
NO_FILE = Message(None, N_("<input>"))
COLUMN_PROBLEM = Message(None, "{column}: {problem}")
ITEM = Message(None, N_("{column}, item {number}"))
LETTER_COLUMN = Message(None, N_("column {letter}"))
IN_FILE = Message(None, N_("{file}, row {row}"))
BUDGET_LINE = Message(None, N_("budget line {number} ({name}): {problem}"))
ERRORS = Message(None, N_("{count} error"), plural=N_("{count} errors"))
WARNINGS = Message(None, N_("{count} warning"), plural=N_("{count} warnings"))
OR_HEADERS = Message(None, N_("{header} (or {others})"))
DID_YOU_MEAN_COLUMN = Message(None, N_("{column} - did you mean the column {close}?"))

# Summaries -------------------------------------------------------------------------------

VALIDATE_SUMMARY = Message("GD-I001", N_("{errors}, {warnings}"))
INTERRUPTED = Message("GD-I002", N_("Interrupted: finished files and the manifest are kept."))
BATCH_SUMMARY = Message("GD-I003",
                        N_("{written} written, {kept} unchanged{skipped}, {failed} failed in "
                           "{folder} ({errors}, {warnings})"))
BATCH_INTERRUPTED = Message(
    "GD-I004", N_("Interrupted: finished files and the manifest are kept in {folder}; run the "
                  "same command again to finish the batch."))
BATCH_TERMINATED = Message(
    "GD-I005", N_("Terminated: finished files and the manifest are kept in {folder}; run the "
                  "same command again to finish the batch."))
ZIP_WRITTEN = Message("GD-I006", N_("{file}: {count} files"))
PRINT_PDF_WRITTEN = Message("GD-I007", N_("{file}: {letters} letters, {pages} pages"))
SKIPPED = Message(None, N_(", {count} skipped"))

# The scheme's rules (grantdocs.rules) ----------------------------------------------------

SUB_GOAL_UNKNOWN = Message("GD-E001", N_("sub-goal {code} is not in the scheme {scheme}"),
                           N_("use one of {known}"))
REASON_UNKNOWN = Message("GD-E002", N_("unknown reason code {code}"), N_("use one of {known}"))
GRANT_NOT_ABOVE_ZERO = Message(
    "GD-E003", N_("a grant or partial grant needs an amount granted above zero"),
    N_("fill in {column}, or make the decision a rejection (avslag)"))
GRANT_OVER_REQUESTED = Message(
    "GD-E004", N_("{granted} granted is more than the {requested} requested"),
    N_("the scheme cannot grant more than was applied for"))
MEASURE_UNDER_MIN = Message(
    "GD-E005", N_("a single measure must be granted at least {minimum}"),
    N_("grant at least the minimum, or reject with reason code measure-under-min"))
BUDGET_OVER_MAX = Message(
    "GD-E006", N_("the project's annual budget {budget} exceeds the scheme's maximum {maximum}"),
    N_("reject with reason code budget-over-max, or correct the budget"))
NO_SUB_GOAL = Message("GD-E007", N_("a grant must name the sub-goal(s) it serves"),
                      N_("fill in {column}, e.g. 'A' or 'A, C'"))
NO_ACCOUNT = Message("GD-E008", N_("a grant letter must state the account the grant is paid to"),
                     N_("fill in {column} (11 digits)"))
DEADLINE_NOT_AFTER_DECISION = Message(
    "GD-E009", N_("the report deadline is not after the decision date"),
    N_("fill in a later {column}, or leave it empty for the scheme's default"))
GRANTED_IS_PARTIAL = Message(
    "GD-E010",
    N_("{granted} granted of {requested} requested is a partial grant, which needs reasons and "
       "appeal information"),
    N_("set {kind} to 'delvis innvilget' and give {reasons} or {text}"))
REJECTION_GRANTS = Message("GD-E011", N_("a rejection cannot grant an amount"),
                           N_("leave {column} empty or 0, or change {kind}"))
NO_REASONS = Message(
    "GD-E012", N_("a rejection or partial grant must give reasons (forvaltningsloven § 24)"),
    N_("fill in {reasons} (reason codes) and/or {text}"))
CASE_NUMBER_REPEATED = Message(
    "GD-E013", N_("the case number {reference} is already used on {where}"),
    N_("give each decision its own case number, or remove the repeated row; no document is "
       "made for this row"))
CASE_REFUSED = Message("GD-E014",
                       N_("the case breaks the scheme's rules; nothing was rendered"))

NO_BUDGET = Message(
    "GD-W001", N_("no annual budget given for a project: the budget limit was not checked"))
PAYMENT_BEFORE_DECISION = Message("GD-W002", N_("the payment date is before the decision date"))
REPORT_BEFORE_PERIOD_END = Message("GD-W003",
                                   N_("the report is due before the project period ends"))
PROJECT_UNDER_MIN = Message("GD-W004", N_("a project granted less than {minimum} is unusual"))
PARTIAL_OF_FULL = Message("GD-W005", N_("a partial grant of the full amount requested"),
                          N_("make the decision 'innvilget', or correct {column}"))
NO_EMAIL = Message("GD-W006", N_("no e-mail address for the organisation"))
APPLIED_AFTER_DECISION = Message("GD-W007", N_("the application is dated after the decision"))
NO_APPROVER = Message("GD-W008", N_("no approver: the letter is signed by the caseworker alone"))
SELF_APPROVED = Message("GD-W009", N_("the caseworker approved their own decision"))
NOT_WHOLE_THOUSAND = Message("GD-W010", N_("{amount} is not a whole thousand kroner"))
THIN_REASON = Message(
    "GD-W025", N_("the only reason given is {code}, which needs a sentence about this "
                  "application (forvaltningsloven § 25)"),
    N_("add to {text} why this application lost out to others"))

# Values of a record (grantdocs.model, grantdocs.readers.record) ---------------------------

REQUIRED = Message("GD-E020", N_("{label} is required: fill in {what}"))
EMPTY = Message("GD-E021", N_("{label} is empty: fill in {what}"))
NEGATIVE = Message("GD-E022", N_("{label}: must not be negative (got {value})"))
TOO_MANY_ORE = Message("GD-E023", N_("{label}: at most 2 decimals (øre) are allowed, got {value}"))
TOO_LARGE = Message("GD-E024", N_("{label}: the amount {value} is too large"))
TOO_LONG = Message("GD-E025",
                   N_("{label}: too long; at most {maximum} characters are allowed"))
UNKNOWN_FIELD = Message("GD-E026", N_("{label}: unknown field; remove it or check the spelling"))
NOT_ISO_DATE = Message(
    "GD-E027", N_("{label}: {value} is not a date; write it as YYYY-MM-DD, e.g. 2022-03-15"))
NOT_NUMBER_AMOUNT = Message(
    "GD-E028",
    N_("{label}: {value} is not an amount; write kroner as a number, e.g. 450000.50"))
NOT_AN_OBJECT = Message("GD-E029", N_("{label}: expected an object with fields, got {kind}"))
NOT_A_LIST = Message("GD-E030", N_("{label}: expected a list, got {kind}"))
INVALID = Message("GD-E031", N_("{label}: {problem}"))
"""A value the model refuses for a reason the other codes do not name (pydantic's words)."""

ORG_NUMBER_DIGITS = Message("GD-E040", N_("an organisation number has 9 digits, got {value}"))
ORG_NUMBER_CHECK = Message(
    "GD-E041", N_("{value} fails the MOD11 check digit of organisation numbers; copy it again "
                  "from Enhetsregisteret (brreg.no)"))
ACCOUNT_DIGITS = Message("GD-E042",
                         N_("a Norwegian bank account number has 11 digits, got {value}"))
ACCOUNT_CHECK = Message(
    "GD-E043", N_("{value} fails the MOD11 check digit of bank account numbers; ask the "
                  "organisation to confirm its account number"))
POSTCODE_DIGITS = Message("GD-E044", N_("a Norwegian postcode has 4 digits, got {value}"))
NOT_EMAIL = Message("GD-E045", N_("{value} is not an e-mail address"))
PERIOD_ENDS_BEFORE_START = Message("GD-E046", N_("the project period ends before it starts"))

# Cells as typed (grantdocs.readers.coerce) -------------------------------------------------

SPREADSHEET_ERROR = Message("GD-E050",
                            N_("the cell shows the spreadsheet error {value}; fix the formula"))
NOT_USABLE_NUMBER = Message("GD-E051", N_("{value} is not a usable number"))
NEGATIVE_AMOUNT = Message("GD-E052", N_("{value} is negative; amounts are kroner from 0 and up"))
AMOUNT_DECIMALS = Message(
    "GD-E053",
    N_("{value} has more than two decimals; write kroner like 450 000 or 450 000,50"))
NOT_AMOUNT = Message("GD-E054",
                     N_("{value} is not an amount; write kroner like 450 000 or 450 000,50"))
NUMBER_NOT_DATE = Message(
    "GD-E055", N_("{value} is a number, not a date; format the cell as a date or write dates "
                  "like 15.03.2022 or 2022-03-15"))
NOT_DATE = Message("GD-E056",
                   N_("{value} is not a date; write dates like 15.03.2022 or 2022-03-15"))
YEAR_DIGITS = Message(
    "GD-E057",
    N_("{value} has a {digits}-digit year; write the year with four digits, e.g. 15.03.2022"))
NOT_IN_CALENDAR = Message(
    "GD-E058",
    N_("{value} is not a date in the calendar; write dates like 15.03.2022 or 2022-03-15"))
DATE_REQUIRED = Message("GD-E059",
                        N_("a date is required; write dates like 15.03.2022 or 2022-03-15"))
DECISION_KIND_UNKNOWN = Message(
    "GD-E060", N_("{value} is not known; write innvilget, delvis innvilget or avslag "
                  "(nynorsk: innvilga, delvis innvilga)"))
APPLICATION_KIND_UNKNOWN = Message("GD-E061",
                                   N_("{value} is not known; write prosjekt or enkelttiltak"))
LANGUAGE_UNKNOWN = Message("GD-E062",
                           N_("{value} is not known; write bokmål or nynorsk (or nb / nn)"))
BUDGET_LINE_FORM = Message(
    "GD-E063", N_("budget line {number} ({item}) is not 'name: amount'; write the lines like "
                  "'Lønn: 200 000; Leie av lokale: 50 000'"))

# Headers and the layout of a sheet (grantdocs.readers.header, .tabular) ----------------------

UNKNOWN_COLUMN = Message("GD-W020", N_("unknown column {header} is ignored"),
                         N_("did you mean {close}?"))
UNKNOWN_COLUMN_NO_MATCH = Message(
    "GD-W021", N_("unknown column {header} is ignored"),
    N_("rename it, or map it with --columns, if it should be read"))
SAME_FIELD_TWICE = Message(
    "GD-W022", N_("column {header} holds the same field as column {first} ({ours}); only {first} "
                  "is read"),
    N_("remove one of the two columns"))
UNKNOWN_TOP_LEVEL_KEY = Message("GD-W024", N_("unknown top-level key {key} is ignored"),
                                N_("remove it or check the spelling"))
VALUE_WITHOUT_HEADER = Message(
    "GD-W023", N_("column {letter} has a value but no header; the value is ignored"),
    N_("give the column a header, or clear the cell"))

NO_HEADER_ROW = Message(
    "GD-E070", N_("{where}: none of the first {rows} rows has the expected headers (such as "
                  "{examples}); the header row names the columns, one case per row below it"))
COLUMN_MISSING = Message(
    "GD-E071", N_("{where}: required column missing: {names}; add it to the header row (row "
                  "{row}), or map your own headers to ours with --columns"))
COLUMNS_MISSING = Message(
    "GD-E072", N_("{where}: required columns missing: {names}; add them to the header row (row "
                  "{row}), or map your own headers to ours with --columns"))
COLUMN_NEEDED = Message(
    "GD-E073", N_("{where}: row {row} is a decision that needs {what}, but the sheet has no "
                  "column for it: {names}; add it to the header row (row {header_row}), or map "
                  "your own header to it with --columns"))
EMPTY_FILE = Message("GD-E074",
                     N_("{file}: the file is empty; expected a header row and one row per case"))

# Returned workbooks (grantdocs.products.returns) ---------------------------------------------

RETURN_REPEATED = Message(
    "GD-E080", N_("a second returned workbook for {reference}: {earlier} was already read for it"),
    N_("keep one return per grant: remove the older one, or the one sent by mistake; no "
       "document is made from this workbook"))
RETURN_UNKNOWN_LANGUAGE = Message(
    "GD-E081", N_("unknown written form {lang} in the workbook's identifiers"),
    N_("send the grantee the workbook grantdocs wrote for them"))
RETURN_DECISION_INVALID = Message(
    "GD-E082", N_("returned workbook for {reference}: its decision is invalid ({why})"),
    N_("give the decisions file the workbook came from"))
RETURN_NO_DECISION = Message(
    "GD-E083", N_("returned workbook for {reference}: no decision with this reference in "
                  "{files}"),
    N_("give the decisions file the workbook came from"))
RETURN_NO_DATE = Message("GD-E084", N_("no date received for {reference}"),
                         N_("add it to the list of received dates, or give --received"))

# Input files as a whole (grantdocs.readers, grantdocs.limits) ---------------------------------

UNKNOWN_FILE_TYPE = Message("GD-E090",
                            N_("{file}: unknown file type {suffix}; expected one of {known}"))
SPREADSHEET_FILE_TYPE = Message(
    "GD-E091", N_("{file}: unknown file type {suffix}; expected one of {known}; save it from "
                  "Excel as .xlsx"))
NO_SUCH_FILE = Message("GD-E092", N_("{file}: no such file"))
NOT_A_FILE = Message("GD-E093", N_("{file}: not a file"))
CANNOT_READ = Message("GD-E094", N_("{file}: cannot be read: {reason}"))
JSON_NOT_UTF8 = Message("GD-E095", N_("{file}: not UTF-8 text (byte {byte}); save it as UTF-8"))
JSON_INVALID = Message("GD-E096",
                       N_("{file}: line {line}, column {column}: not valid JSON: {reason}"))
JSON_TOO_DEEP = Message("GD-E097", N_("{file}: the JSON is nested too deeply"))
CASE_NOT_OBJECT = Message(
    "GD-E098", N_("case {number} is a {kind}, not an object with organisation, application and "
                  "decision"))
JSON_OBJECT_WITHOUT_CASES = Message(
    "GD-E099", N_('{file}: expected a list of cases, or an object with a "cases" list; found an '
                  'object with {keys}'))
JSON_NOT_CASES = Message(
    "GD-E100", N_('{file}: expected a list of cases, or an object with a "cases" list; found a '
                  '{kind}'))
SCHEMA_VERSION_UNSUPPORTED = Message(
    "GD-E101", N_("{file}: schema_version {version} is not supported; this version of grantdocs "
                  "reads schema_version {supported}"))
CASES_NOT_LIST = Message("GD-E102", N_('{file}: "cases" must be a list of cases'))
CSV_ENCODING = Message(
    "GD-E103", N_("{file}: line {line} is neither UTF-8 nor Windows-1252 text; in Excel, save "
                  "the sheet as 'CSV UTF-8 (kommadelt) (*.csv)'"))
CSV_ROW_UNREADABLE = Message("GD-E104", N_("{file}: row {row} cannot be read as CSV: {reason}"))
COLUMN_MAP_UNREADABLE = Message("GD-E105",
                                N_("{file}: the column mapping cannot be read: {reason}"))
COLUMN_MAP_NOT_TOML = Message("GD-E106", N_("{file}: not a TOML column mapping: {reason}"))
COLUMN_MAP_NOT_A_NAME = Message(
    "GD-E107", N_('{source}: {theirs} must map to one of our column names, like "{example}" = '
                  '"Innvilget beløp"'))
COLUMN_MAP_UNKNOWN = Message(
    "GD-E108", N_("{source}: {theirs} = {ours}: {ours} is not a column grantdocs knows; did "
                  "you mean {close}?"))
COLUMN_MAP_UNKNOWN_NO_MATCH = Message(
    "GD-E109", N_("{source}: {theirs} = {ours}: {ours} is not a column grantdocs knows; use a "
                  "header such as 'Søkt beløp'"))
COLUMN_MAP_EMPTY_HEADER = Message("GD-E110", N_("{source}: {theirs} is not a header"))
FILE_TOO_LARGE = Message(
    "GD-E111", N_("{file}: the file is {size} MB, over the limit of {limit} MB; raise the limit: "
                  "set the environment variable {variable}"))
JSON_TOO_LARGE = Message(
    "GD-E112", N_("{file}: the file is {size} MB, over the limit of {limit} MB for JSON; raise "
                  "the limit: set the environment variable {variable}"))
TOO_MANY_ROWS = Message(
    "GD-E113", N_("{file}: more than {limit} rows, the limit for one file; split the file, or "
                  "raise the limit: set the environment variable {variable}"))
TOO_MANY_COLUMNS = Message(
    "GD-E114", N_("{file}: row {row} has a value in column {column}, past the limit of {limit} "
                  "columns; raise the limit: set the environment variable {variable}"))
CELL_TOO_LONG = Message(
    "GD-E115", N_("{count} characters, over the limit of {limit} per cell; shorten it, or raise "
                  "the limit: set the environment variable {variable}"))
LIST_TOO_LONG = Message(
    "GD-E116", N_("{count} items, over the limit of {limit} per list; raise the limit: set the "
                  "environment variable {variable}"))
LIMIT_NOT_POSITIVE = Message("GD-E117", N_("{variable}={value}: expected a positive number"))
LIMIT_NOT_WHOLE = Message("GD-E118", N_("{variable}={value}: expected a positive whole number"))
NO_KEYS = Message(None, N_("no keys"))
COLUMN_MAPPING = Message(None, N_("the column mapping"))

# Options of the command line (grantdocs.cli.options) ------------------------------------------

NOT_A_REGULAR_FILE = Message("GD-E120", N_("{path} is not a regular file; give a file"))
NOT_A_FOLDER = Message("GD-E121", N_("{path} is not a folder"))


RETIRED: frozenset[str] = frozenset()
"""Codes once used and no longer: never given to another message."""


@functools.cache
def registry() -> Mapping[str, Message]:
    """Every message with a code, by code."""
    from grantdocs import (
        messages_cli,
        messages_commands,
        messages_files,
        messages_issuer,
        messages_readers,
        messages_service,
    )

    modules = (messages_files, messages_readers, messages_issuer, messages_commands, messages_cli,
               messages_service)
    found: dict[str, Message] = {}
    for value in [*globals().values(), *(v for m in modules for v in vars(m).values())]:
        if isinstance(value, Message) and value.code is not None:
            if value.code in found and found[value.code] is not value:
                raise AssertionError(f"{value.code} is the code of two messages")
            found[value.code] = value
    return dict(sorted(found.items()))


def by_code(code: str) -> Message | None:
    """The message with ``code``, or None."""
    return registry().get(code)
