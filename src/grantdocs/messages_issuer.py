"""The messages about issuer profiles and their logos (``grantdocs issuer``), with their codes.

Part of the registry of :mod:`grantdocs.messages` (listed by
:func:`grantdocs.messages.registry`). A problem of a profile starts with the
field as the TOML file writes it (``[[signatories]] no. 2, name``).
"""

from __future__ import annotations

from grantdocs.catalog import N_, Message

# Parts: no code of their own ----------------------------------------------------------------

PROBLEMS = Message(None, N_("{count} problem"), plural=N_("{count} problems"))
CHECK_IT = Message(None, N_("(check it with: grantdocs issuer check {file})"))
REPORT = Message(None, "{head}\n  {lines}\n  {check}")
TABLE_ITEM = Message(None, N_("[[{table}]] no. {number}"))
TABLE_ITEM_FIELD = Message(None, N_("[[{table}]] no. {number}, {field}"))
LIST_LINE = Message(None, N_("{field} (line {number} of the list)"))
WHOLE_FILE = Message(None, N_("(the file)"))
LOGO_PROBLEM = Message(None, "logo = {logo}: {problem}")
SIGNATORIES = Message(None, N_("{count} signatory"), plural=N_("{count} signatories"))
POLICY_RECIPIENT = Message(None, N_("letters in the recipient's written form, else {own}"))
POLICY_OWN = Message(None, N_("letters always in {own}"))
LOGO_SIZE = Message(None, N_("logo {width} × {height} pixels, drawn {width_mm} × {height_mm} mm"))

# Loading a profile (grantdocs.issuer) --------------------------------------------------------

ISSUER_UNUSABLE = Message("GD-E170", N_("{file}: the issuer profile has {problems}; nothing was "
                                        "made"))
ISSUER_EMPTY = Message("GD-E171", N_("{field}: empty; fill it in"))
ISSUER_NOT_A_FIELD = Message(
    "GD-E172", N_("{field}: not a field of an issuer profile (did you mean {close}?)"))
ISSUER_NOT_A_FIELD_NO_MATCH = Message(
    "GD-E173", N_("{field}: not a field of an issuer profile (see the README's table of fields)"))
ISSUER_MISSING = Message("GD-E174", N_("{field}: missing; add it (see the README's table of "
                                       "fields)"))
ISSUER_LANGUAGE_POLICY = Message(
    "GD-E175", N_("{field}: {problem} (recipient: the recipient's written form; own: always "
                  "default_language)"))
ISSUER_APPEAL_SECTION = Message("GD-E176", N_('{field}: write the section, e.g. "§ 28 andre '
                                              'ledd"'))
ISSUER_ID = Message("GD-E177", N_('{field}: small letters, digits and hyphens, e.g. "sandnes"'))
ISSUER_INVALID = Message("GD-E178", N_("{field}: {problem}"))
"""A value the profile's model refuses for a reason the other codes do not name."""
ISSUER_LOGO_NOT_TEXT = Message("GD-E179",
                               N_('logo: write the file name in quotes, e.g. logo = "logo.png"'))

# The logo (grantdocs.logo) -------------------------------------------------------------------

LOGO_PNG_NO_HEADER = Message("GD-E180", N_("the file begins like a PNG image but has no image "
                                           "header; save it again as PNG"))
LOGO_PNG_DAMAGED = Message("GD-E181", N_("the PNG image header is damaged; save it again as PNG"))
LOGO_CMYK = Message("GD-E182", N_("the JPEG image is CMYK, which a PDF/A letter with sRGB colours "
                                  "cannot hold; save it as an RGB JPEG or a PNG"))
LOGO_JPEG_NO_SIZE = Message("GD-E183", N_("the file begins like a JPEG image but has no image "
                                          "size; save it again as JPEG or PNG"))
LOGO_NOT_IMAGE = Message("GD-E184", N_("the file is not a PNG or JPEG image (its first bytes say "
                                       "so, whatever its name); save the logo as PNG"))
LOGO_TOO_MANY_PIXELS = Message(
    "GD-E185", N_("the image is {width} × {height} pixels; make it at most {most} wide and high "
                  "(600 high is plenty)"))
LOGO_OUTSIDE = Message("GD-E186", N_('the logo must be an image file inside the profile\'s folder '
                                     '{folder}; write its file name, e.g. logo = "logo.png"'))
LOGO_SUFFIX = Message("GD-E187", N_("the logo must be a PNG or JPEG file ({suffixes})"))
LOGO_NOT_REGULAR = Message("GD-E188", N_("not a regular file; give the image file itself"))
LOGO_TOO_LARGE = Message("GD-E189", N_("the file is over {limit} MB; a letterhead logo needs far "
                                       "less (save it smaller)"))
LOGO_NO_FILE = Message("GD-E190", N_("no such file in {folder}; put the logo beside the profile"))
LOGO_CANNOT_READ = Message("GD-E191", N_("the file cannot be read: {reason}"))

# grantdocs issuer init / check (grantdocs.cli.issuer) -----------------------------------------

ISSUER_FILE_EXISTS = Message("GD-E192",
                             N_("{file} exists; give another name, or --force to replace it"))
ISSUER_NO_FOLDER = Message("GD-E193", N_("the folder {folder} does not exist"))
ISSUER_WRITTEN = Message("GD-I010", N_('{file}: written. Fill in every "" value, then run: '
                                       "grantdocs issuer check {file}"))
ISSUER_CHECK_FAILED = Message("GD-I011",
                              N_("{file}: {count} problem(s); the profile cannot be used yet"))
ISSUER_USABLE = Message("GD-I012", N_("{file}: the profile of {name} can be used ({details})"))

# The profile's and the scheme's TOML files (grantdocs.datafiles) -----------------------------

DATA_ISSUER = Message(None, N_("issuer"))
DATA_SCHEME = Message(None, N_("scheme"))
DATA_NOT_A_FILE = Message("GD-E194", N_("{path}: the {what} must be a TOML file"))
DATA_NOT_FOUND = Message("GD-E195", N_("{what} file not found: {path}"))
DATA_NOT_TOML = Message("GD-E196", N_("{path}: not valid TOML: {reason}"))
DATA_CANNOT_READ = Message("GD-E197", N_("{path}: the {what} file cannot be read: {reason}"))

# A scheme file's settings (grantdocs.scheme, grantdocs.datafiles) --------------------------

SCHEME_INVALID = Message("GD-E210", N_("{path}: invalid settings\n  {lines}"))
SETTING = Message(None, "{setting}: {problem}")
TOP_LEVEL = Message(None, N_("(top level)"))
SETTING_MISSING = Message(None, N_("missing; add it"))
SETTING_UNKNOWN = Message(None, N_("not a setting of this file; remove it or check the spelling"))
SETTING_WHOLE_NUMBER = Message(None, N_("expected a whole number"))
SETTING_NUMBER = Message(None, N_("expected a number"))
SETTING_AT_LEAST = Message(None, N_("must be at least {limit}"))
SETTING_AT_MOST = Message(None, N_("must be at most {limit}"))
SETTING_ABOVE = Message(None, N_("must be more than {limit}"))
SETTING_BELOW = Message(None, N_("must be less than {limit}"))
SETTING_TEXT = Message(None, N_("expected a text in quotes"))
SETTING_DATE = Message(None, N_("expected a date, e.g. 2022-03-15"))
SETTING_BOOLEAN = Message(None, N_("expected true or false"))
SETTING_LIST = Message(None, N_("expected a list, e.g. [\"A\", \"B\"]"))
SETTING_TABLE = Message(None, N_("expected a table of settings"))
SETTING_FINITE = Message(None, N_("expected a finite number"))
NOT_A_DAY = Message(None, N_('deadline_month_day {value} is not a day of every year; write it '
                             'as MM-DD, e.g. "03-01"'))
CODES_NOT_UNIQUE = Message(None, N_("{what} codes must be unique, got {codes}"))
CRITERION_MISSING = Message(None, N_("reason {code} cites criterion {number}, but there are "
                                     "{count}"))
PLACEHOLDER_UNKNOWN = Message(None, N_("{setting} uses {used}; a text may use {known}"))
LONE_BRACE = Message(None, N_("{setting}: {reason} (write a brace as {{{{ or }}}})"))
LISTS_NOT_SAME_LENGTH = Message(None,
                                N_("the nb and nn lists must have the same number of items"))
