"""Grading: a pure harness that runs learner code (shipped to the browser too), runners that run
it out of process (``sandbox.SandboxRunner`` in course mode: bubblewrap + rlimits + seccomp;
``runner.ProcessRunner`` for development), and a trusted judge that computes the reference itself.
Importing this package must not import Flask or anything outside the standard library."""
