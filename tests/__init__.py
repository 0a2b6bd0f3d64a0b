"""The test suite. Importing it (pytest does, for tests/conftest.py) turns bytecode caching on.

Compiled bytecode is cached in the git-ignored ``__pycache__`` folders whatever
``PYTHONDONTWRITEBYTECODE`` says: by this process from here on, by the xdist workers it
starts and by every child process of theirs (the variable is dropped from the environment
they inherit). With it set, each of the suite's ~70 Python processes compiled every
grantdocs and test-support module it imported again, in every run, and each pytest process
rewrote the asserts of hypothesis's modules (a pytest plugin, so rewritten like the tests)
again: about 1 CPU-second per pytest process and 0.05-0.15 per child. Python checks each
cached file against its source's size and time, pytest against its source's hash, as always.
"""

import os
import sys

sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
