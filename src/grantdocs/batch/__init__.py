"""The batch engine: many records to many files, for any document kind.

``run.py`` reads top to bottom like the run (open the folder, plan, keep what
is unchanged, render, close); ``plan.py`` turns records into jobs;
``digest.py`` says what decides an output's bytes; ``manifest.py`` holds the
manifest and the journal; ``workers.py`` the supervised worker processes;
``interrupts.py`` the Ctrl-C deferral. The engine knows no document kind: it
takes one (:class:`DocumentKind`) as a required argument.
"""

from grantdocs.batch.digest import Settings
from grantdocs.batch.jobs import DocumentKind, Job, OutputFile, Rendered
from grantdocs.batch.manifest import JOURNAL, MANIFEST_FIELDS, BatchResult, OutputRecord
from grantdocs.batch.run import Progress, run_batch

__all__ = [
    "JOURNAL",
    "MANIFEST_FIELDS",
    "BatchResult",
    "DocumentKind",
    "Job",
    "OutputFile",
    "OutputRecord",
    "Progress",
    "Rendered",
    "Settings",
    "run_batch",
]
