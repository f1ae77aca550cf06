"""Which of Pyodide's standard library a learner's browser downloads before Python starts.

Over a slow connection a first visit is its download, and the standard library was a third of
it (1.5 MB of brotli). Most of its modules no lesson touches: ``argparse``, ``unittest``,
``xml``, ``http``, ``pydoc``... Set-up (``tutor.assets.store_stdlib``) therefore writes two ZIPs
(members stored for the Flask site, deflated for the static copy): the *core*, every top-level
module or package named here, which Pyodide mounts as its standard library (0.83 MB of brotli;
1.4 MB deflated), and the *rest* (0.71 MB), which
the Python worker fetches the first time a program imports one of its modules (a synchronous
request from the worker, then an ordinary import). Nothing is missing from the browser's Python
and nothing differs from the server's: a module arrives later, not never.

``CORE`` is what Python imports to start, to load and import the bundle (every ``tutor``
module) and to run every exercise's practice cases, as measured in Pyodide 0.29.5, plus the
modules a learner's program plausibly imports for this course's exercises (``fractions``,
``statistics``, ``datetime``...). ``tests/setup/test_stdlib_core.py`` checks that the bundle and
every exercise need nothing outside it; ``tests/browser/test_first_visit.py`` that a start and a
Run fetch nothing of the rest, that a program importing from it runs (fetching it once), and that
the offline copy holds it.
"""

from __future__ import annotations

# The JSON member of the core ZIP that names the rest's top-level modules; the worker reads it.
REST_INDEX = "_virttutor_stdlib_rest.json"

# Python's start, Pyodide's package loading and the bundle's imports (measured).
STARTUP = frozenset(
    [
        "__future__",
        "_collections_abc",
        "_colorize",
        "_compression",
        "_opcode_metadata",
        "_pyodide",
        "_sitebuiltins",
        "_weakrefset",
        "abc",
        "ast",
        "asyncio",
        "bisect",
        "bz2",
        "codecs",
        "collections",
        "concurrent",
        "contextlib",
        "contextvars",
        "copy",
        "copyreg",
        "dataclasses",
        "difflib",
        "dis",
        "email",
        "encodings",
        "enum",
        "fnmatch",
        "functools",
        "genericpath",
        "glob",
        "hashlib",
        "heapq",
        "importlib",
        "inspect",
        "io",
        "json",
        "keyword",
        "linecache",
        "logging",
        "ntpath",
        "opcode",
        "operator",
        "os",
        "pathlib",
        "pkgutil",
        "posixpath",
        "pyodide",
        "random",
        "re",
        "reprlib",
        "selectors",
        "shutil",
        "signal",
        "site",
        "socket",
        "stat",
        "string",
        "struct",
        "subprocess",
        "tarfile",
        "tempfile",
        "textwrap",
        "threading",
        "token",
        "tokenize",
        "traceback",
        "types",
        "typing",
        "warnings",
        "weakref",
        "zipfile",
        "zipimport",
    ]
)
# What a learner's program for these exercises may well import, so that it never waits.
LEARNERS = frozenset(
    [
        "_pydatetime",
        "_strptime",
        "base64",
        "calendar",
        "datetime",
        "decimal",
        "fractions",
        "locale",
        "numbers",
        "pprint",
        "queue",
        "sre_compile",
        "sre_constants",
        "sre_parse",
        "statistics",
    ]
)
CORE = STARTUP | LEARNERS


def top_level(member: str) -> str:
    """The module or package a ZIP member belongs to: ``email/utils.py`` → ``email``."""
    return member.split("/", 1)[0].removesuffix(".py")
