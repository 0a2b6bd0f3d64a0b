"""CSV input: the encoding and the delimiter found, then rows as the spreadsheet shows them."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from grantdocs import messages as M
from grantdocs.errors import InputError
from grantdocs.limits import MB, current_limits
from grantdocs.readers.header import (
    SEARCH_ROWS,
)
from grantdocs.readers.record import ReadRecord
from grantdocs.readers.tabular import Rows, find_header, records


@dataclass(frozen=True)
class _CsvFormat:
    encoding: str
    delimiter: str
    skip_lines: int  # an Excel "sep=;" line before the header


def _decodes(path: Path, encoding: str) -> tuple[bool, int]:
    """Whether the whole file decodes, streamed; else the line of the first bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return False, line + chunk.count(b"\n", 0, max(exc.start, 0))
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, line
    return True, line


def _encoding(path: Path, file: str) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252, which Norwegian Excel writes
    for "CSV (semikolondelt)".

    Trying UTF-8 first is safe for Norwegian text. In UTF-8 every byte from 0x80 up
    belongs to a sequence: a lead byte 0xC2-0xF4 followed by one to three bytes
    0x80-0xBF. In Windows-1252 the letters æ ø å Æ Ø Å é ü ... are single bytes
    0xC0-0xFF, and the bytes 0x80-0xBF are punctuation and symbols (€ „ – — ’ « »
    NBSP ° ½ ...), so Windows-1252 text is only valid UTF-8 if every such letter is
    followed by one to three of those symbols, which real names and addresses never
    are. A file that is valid UTF-8 is read as UTF-8; one that is not is read as
    Windows-1252, which then must decode too (it leaves five bytes undefined).
    ASCII text is the same in both.
    """
    utf8, _ = _decodes(path, "utf-8")
    if utf8:
        return "utf-8-sig"
    cp1252, line = _decodes(path, "cp1252")
    if cp1252:
        return "cp1252"
    raise InputError(M.CSV_ENCODING(file=file, line=line))


def _count_outside_quotes(line: str, char: str) -> int:
    return len(re.findall(re.escape(char), re.sub(r'"[^"]*"', "", line)))


def _sniff(path: Path, file: str, encoding: str) -> _CsvFormat:
    """The delimiter: the one of ; , and tab that splits the first lines the most.

    The first lines may be title rows with no delimiter at all, so the lines
    where the header row may be are all looked at, not only the first.
    """
    counts = dict.fromkeys((";", ",", "\t"), 0)
    seen = 0
    with path.open(encoding=encoding, newline="") as stream:
        for line in stream:
            if not line.strip():
                continue
            if seen == 0 and (match := re.fullmatch(r"sep=(.)\r?\n?", line, re.IGNORECASE)):
                return _CsvFormat(encoding, match[1], 1)
            for delimiter in counts:
                counts[delimiter] = max(counts[delimiter], _count_outside_quotes(line, delimiter))
            seen += 1
            if seen >= SEARCH_ROWS:
                break
    if not seen:
        raise InputError(M.EMPTY_FILE(file=file))
    best = max(counts, key=lambda d: counts[d])
    return _CsvFormat(encoding, best if counts[best] else ",", 0)


def _csv_rows(path: Path, file: str, fmt: _CsvFormat) -> Rows:
    # No field can be longer than the file, and the file is within its size limit, so
    # a long field is read whole and refused as one record's error (Limits.max_cell_chars)
    # instead of stopping the file at csv's own 128 KiB limit.
    csv.field_size_limit(max(csv.field_size_limit(), int(current_limits().max_file_mb * MB) + 1))
    with path.open(encoding=fmt.encoding, newline="") as stream:
        for _ in range(fmt.skip_lines):
            stream.readline()
        reader = csv.reader(stream, delimiter=fmt.delimiter)
        number = 0
        try:
            for number, row in enumerate(reader, start=1):
                yield number, row
        except csv.Error as exc:
            raise InputError(M.CSV_ROW_UNREADABLE(file=file, row=number + 1, reason=str(exc))
                             ) from None


def read_csv(path: Path, file: str, sheet: str | None = None,
             mapping: Mapping[str, str] | None = None) -> Iterator[ReadRecord]:
    """Check the file and find its header row now; read the rows lazily.

    A CSV file has one sheet, so ``sheet`` is not used; ``mapping`` holds the
    caseworker's own headers (:func:`~grantdocs.readers.columns.load_column_map`).
    """
    fmt = _sniff(path, file, _encoding(path, file))
    rows = _csv_rows(path, file, fmt)
    try:
        layout = find_header(file, rows, mapping)
    finally:
        rows.close()
    return records(layout, _csv_rows(path, file, fmt))
