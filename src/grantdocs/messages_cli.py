"""The messages of the command line itself, with their codes: usage errors (what click
would say in English), the commands' own option checks, ``demo`` and ``token``.

Part of the registry of :mod:`grantdocs.messages` (listed by
:func:`grantdocs.messages.registry`). :mod:`grantdocs.cli.usage` turns click's usage
errors into these.
"""

from __future__ import annotations

from grantdocs.catalog import N_, Message

# Parts: no code of their own ----------------------------------------------------------------

USAGE_LINE = Message(None, N_("Usage: {command} {pieces}"))
TRY_HELP = Message(None, N_("Try '{help}' for help."))
INVALID_VALUE = Message(None, N_("invalid value for {param}: {problem}"))
CHOOSE_FROM = Message(None, N_("{problem}; choose one of {choices}"))
RANGE_BETWEEN = Message(None, N_("from {low} to {high}"))
RANGE_AT_LEAST = Message(None, N_("of at least {low}"))
RANGE_ABOVE = Message(None, N_("above {low}"))
RANGE_AT_MOST = Message(None, N_("of at most {high}"))
OR = Message(None, N_("{first} or {last}"))
SCHEME_CHAPTER = Message(None, N_("chapter {chapter}, post {post}"))
SCHEME_SUB_GOALS = Message(None, N_("Sub-goals:"))
SCHEME_REASONS = Message(None, N_("Reason codes:"))
SCHEME_LIMITS = Message(None, N_("Limits:"))

# Usage errors (grantdocs.cli.usage) -----------------------------------------------------------

MISSING_ARGUMENT = Message("GD-E122", N_("missing argument {name}"),
                           N_("see {help}"))
MISSING_OPTION = Message("GD-E123", N_("missing option {name}"), N_("see {help}"))
NO_SUCH_OPTION = Message("GD-E124", N_("no such option: {name}"), N_("did you mean {close}?"))
NO_SUCH_OPTION_NO_MATCH = Message("GD-E125", N_("no such option: {name}"),
                                  N_("{help} lists the options"))
OPTION_NEEDS_VALUE = Message("GD-E126", N_("the option {name} needs a value"))
OPTION_TAKES_NO_VALUE = Message("GD-E127", N_("the option {name} takes no value"))
NO_SUCH_COMMAND = Message("GD-E128", N_("no such command: {name}"), N_("use one of {known}"))
EXTRA_ARGUMENTS = Message("GD-E129", N_("unexpected extra argument: {args}"),
                          plural=N_("unexpected extra arguments: {args}"))
USAGE_OTHER = Message("GD-E220", N_("the command line cannot be used: {problem}"))
"""A usage error click raised that none of the other codes name (click's own words)."""
INVALID_VALUE_OTHER = Message("GD-E221", N_("the value of {param} cannot be used: {problem}"))

# Values of options and arguments (grantdocs.cli.options) -------------------------------------

NOT_ONE_OF = Message("GD-E222", N_("{value} is not one of {choices}"))
NOT_WHOLE_NUMBER = Message("GD-E223", N_("{value} is not a whole number"))
NOT_A_NUMBER = Message("GD-E224", N_("{value} is not a number"))
OUT_OF_RANGE = Message("GD-E225", N_("{value} is out of range; give a number {range}"))
NO_SUCH_PATH = Message("GD-E226", N_("{path} does not exist"))
IS_A_FOLDER = Message("GD-E227", N_("{path} is a folder; give a file"))
CANNOT_READ_PATH = Message("GD-E228", N_("{path} cannot be read (no permission)"))
CANNOT_WRITE_PATH = Message("GD-E229", N_("{path} cannot be written (no permission)"))
SCHEME_NOT_KNOWN = Message(
    "GD-E230", N_("{value} is neither a file nor a bundled scheme"),
    N_("give a scheme file (TOML) or the name of a bundled scheme: {known}"))
FORMATS_LIST = Message("GD-E231", N_("{value}: use a comma-separated list of {formats}"))

# The commands' own checks (grantdocs.cli) -------------------------------------------------------

PRINT_PDF_NEEDS_PDF = Message("GD-E232", N_("--print-pdf needs PDF letters: add pdf to --format"))
ARCHIVE_NEEDS_PDF = Message("GD-E233", N_("--archive needs PDF letters: add pdf to --format"))
NO_WORKBOOKS = Message("GD-E234", N_("no .xlsx workbooks found in {paths}"))
RECEIVED_NEEDED = Message("GD-E235", N_("give --received DATE, or --received-list FILE"))
STATS_SUFFIX = Message("GD-E236", N_("{path}: the file name must end in .pdf or .xlsx"))

# Tokens of the HTTP API (grantdocs token, grantdocs.service.tokens) -----------------------------

TOKEN_NAME_LENGTH = Message("GD-E240", N_("a token's name is 1 to 200 characters"))
TOKEN_EXISTS = Message("GD-E241", N_("a token named {name} exists already; choose another name, "
                                      "or revoke it first"))
TOKEN_UNKNOWN = Message("GD-E242", N_("no token named {name}; `grantdocs token list` shows them"))

# grantdocs demo (grantdocs.cli.demo) ------------------------------------------------------------

RECEIVED_NOT_UTF8 = Message("GD-E243", N_("{file} is not UTF-8 text; save it as CSV UTF-8"))
RECEIVED_LINE_FORM = Message("GD-E244", N_("{file}, line {line}: give a reference and a date, "
                                           "e.g. {example}"))
RECEIVED_LINE_DATE = Message("GD-E245", N_("{file}, line {line}: {problem}"))
EXPORT_UNKNOWN = Message("GD-E246", N_("unknown export {export}: use {known}"))
EXPORT_SUFFIX = Message("GD-E247", N_("{file}: the {export} export is written as {suffixes}; "
                                      "name --out so"))

# The installation's secret key (grantdocs.keys) and the workers' memory (grantdocs.batch) ------

KEY_TOO_SHORT = Message(
    "GD-E250", N_('{where}: a secret key must be at least {minimum} characters (this one has '
                  '{count}); make one with: python -c "import secrets; '
                  'print(secrets.token_hex(32))"'))
KEY_DANGLING = Message("GD-E251", N_("the secret key file {path} is a symlink to nothing; remove "
                                     "it, or point it at the key"))
KEY_CANNOT_READ = Message("GD-E252", N_("the secret key file {path} cannot be read: {reason}; fix "
                                        "it, or set {file_variable} or {variable}"))
KEY_NOT_REGULAR = Message("GD-E253", N_("the secret key file {path} is not a regular file"))
KEY_OPEN_TO_OTHERS = Message(
    "GD-E254", N_("the secret key file {path} may be read or written by others (mode {mode}); "
                  "make it the owner's only: chmod 600 {path}"))
KEY_EMPTY = Message("GD-E255", N_("the secret key file {path} does not hold a key (one line of at "
                                  "least {minimum} characters); restore it from a backup"))
KEY_CANNOT_CREATE = Message("GD-E256", N_("cannot create the secret key file {path}: {reason}; set "
                                          "{file_variable} to a writable place, or {variable}"))
MEMORY_LIMIT = Message(
    "GD-E257", N_("{variable}={value}: give the memory limit of a worker in MB, at least "
                  "{minimum} (default {default}; 0: no limit)"))

DEMO_LETTERS = Message(None, N_("letters"))
DEMO_REPORT_TEMPLATES = Message(None, N_("report templates"))
DEMO_ACCOUNTS = Message(None, N_("accounts workbooks"))
DEMO_CHECKLISTS = Message(None, N_("checklists"))
DEMO_CLAIMS = Message(None, N_("repayment claims"))
DEMO_RESULT = Message("GD-I020",
                      N_("{kind}: {written} written, {kept} unchanged{skipped}, {failed} failed, "
                         "in {folder}"))
DEMO_STATISTICS = Message("GD-I021", N_("statistics of the 2022 round, in {folder}: {figures}"))
