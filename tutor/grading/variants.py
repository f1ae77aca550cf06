"""Which hidden variant a learner gets: a seed from ids that never change.

A course's slug is a name staff may rename; its id and the learner's id stay. Deriving the seed
from them keeps every learner on the same hidden cases across a rename, and two learners (or one
learner in two courses) on different ones. 63 bits, so the seed fits a signed 64-bit column
(PostgreSQL has no unsigned integers).
"""

from __future__ import annotations

import hashlib


def learner_variant_seed(course_id: int, learner: str, exercise_id: str) -> int:
    digest = hashlib.sha256(f"course:{course_id}\x00{learner}\x00{exercise_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1
