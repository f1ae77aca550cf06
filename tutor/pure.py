"""The pure half of ``tutor``: the files that run where Flask and the project are absent.

The Pyodide bundle and the grading sandbox both ship exactly these (the sandbox adds its own
entry points), so a change here changes both, and the browser and the server keep grading with
the same code.
"""

PURE_SOURCES = (
    "tutor/__init__.py",
    "tutor/sim/*.py",
    "tutor/explanations/*.py",
    "tutor/grading/__init__.py",
    "tutor/grading/protocol.py",
    "tutor/grading/harness.py",
    "tutor/grading/shapes.py",
    "tutor/grading/transcript.py",
    "tutor/grading/feedback.py",
    "tutor/grading/limits.py",
)
