"""What decides an output's bytes, besides the record: the settings and their digest.

A rerun keeps an output whose input hash (the record plus this digest) is the
one the manifest recorded and whose bytes still match: "why was my file kept?"
is answered here.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grantdocs import __version__
from grantdocs.scheme import DEFAULT_SCHEME, issuer_file, load_issuer, load_scheme

if TYPE_CHECKING:
    from grantdocs.batch.jobs import DocumentKind


@dataclass(frozen=True)
class Settings:
    """What, besides the record, decides an output's bytes."""

    scheme: Path | None = None
    issuer: Path | None = None
    templates: Path | None = None
    # How a sheet is read (its sheet, a mapping of its headers): they decide the case
    # read, which is hashed on its own, so they are not part of the digest.
    sheet: str | None = None
    columns: Path | None = None

    def check(self) -> None:
        """Load the scheme, issuer and templates folder: a ConfigError now, not mid-run."""
        from grantdocs.render.environment import template_dirs

        load_scheme(self.scheme)
        load_issuer(self.issuer)
        template_dirs(self.templates)

    def digest(self, kind: DocumentKind, lang: str | None = None) -> str:
        """Hash of scheme, issuer, the kind's templates and the grantdocs version.

        With ``lang``, only that written form's templates (and the shared ones,
        such as the stylesheet) count, so editing a Nynorsk template does not
        make the Bokmål documents out of date.
        """
        from grantdocs.render.environment import template_dirs

        issuer = load_issuer(self.issuer)  # a clear error for a bad name, before any read
        h = hashlib.sha256(f"{__version__}\n{kind.name}".encode())
        h.update(Path(self.scheme or DEFAULT_SCHEME).read_bytes())
        h.update(issuer_file(self.issuer).read_bytes())
        roots = [r.replace("*/", f"{lang}/", 1) if lang else r for r in kind.templates]
        for name, file in template_files(template_dirs(self.templates), roots):
            h.update(name.encode())
            h.update(file.read_bytes())
        logo = issuer.logo_path()
        if logo and logo.is_file():
            h.update(logo.read_bytes())
        return h.hexdigest()


def template_files(dirs: Sequence[Path], roots: Sequence[str]) -> list[tuple[str, Path]]:
    """The template files a document kind depends on, as (name, file) in search-path order.

    ``roots`` are names or globs (``*/letter-*.html``, ``letter.css``); every
    template they extend, include or import is followed through Jinja's
    references, and every stylesheet a stylesheet imports (``@import``), so
    templates for other documents do not invalidate these. A reference Jinja
    cannot resolve statically makes this fall back to every file in the folders.
    """
    def find(name: str) -> Path | None:
        return next((d / name for d in dirs if (d / name).is_file()), None)

    names: set[str] = set()
    for root in roots:
        for folder in dirs:
            names.update(f.relative_to(folder).as_posix() for f in folder.glob(root)
                         if f.is_file())
    todo = sorted(names)
    while todo:
        name = todo.pop()
        file = find(name)
        if file is None:
            continue
        refs: list[str | None]
        if name.endswith(".css"):
            refs = list(css_imports(name, file.read_text("utf-8", errors="replace")))
        elif not name.endswith(".html"):
            continue
        else:
            refs = list(jinja_references(file.read_bytes()))
        if None in refs:
            return [(f.relative_to(d).as_posix(), f) for d in dirs
                    for f in sorted(d.rglob("*")) if f.is_file()]
        for ref in refs:
            if ref is not None and ref not in names:
                names.add(ref)
                todo.append(ref)
    return [(n, f) for n in sorted(names) if (f := find(n)) is not None]


@functools.lru_cache(maxsize=512)
def jinja_references(source: bytes) -> tuple[str | None, ...]:
    """The templates a template's text extends, includes or imports (None: not static).

    Parsing with Jinja is what the walk costs, so it is remembered by the text
    itself, never by a name or a time: a long-lived process (the HTTP service)
    parses each template once, and an edited one anew.
    """
    import jinja2
    from jinja2 import meta

    try:
        tree = jinja2.Environment().parse(source.decode("utf-8"))
    except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
        return (None,)
    return tuple(meta.find_referenced_templates(tree))


_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""")


def css_imports(name: str, text: str) -> Iterator[str]:
    """The stylesheets the stylesheet ``name`` imports, as names beside it in the search path.

    URLs with a scheme (``file:``, ``https:``) and paths that leave the folders are not files of
    the templates (the PDF writer refuses to fetch them), so they are passed over.
    """
    folder = posixpath.dirname(name)
    for ref in _CSS_IMPORT.findall(text):
        path = posixpath.normpath(posixpath.join(folder, ref))
        if ":" not in ref and not ref.startswith("/") and not path.startswith(".."):
            yield path
