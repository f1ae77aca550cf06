"""Grading: a pure harness that runs learner code (shipped to the browser too), an untrusted-process
runner, and a trusted judge. Importing this package must not import Flask or anything outside the
standard library."""
