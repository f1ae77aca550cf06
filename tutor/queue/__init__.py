"""Grading out of the web process: a Huey task queue, grader workers, and the sweeper.

The database row is the source of truth. The web process stores a submission (``pending``) and
enqueues only its id; a worker claims the row atomically (``pending`` → ``grading``), grades it
in its own sandbox pool and records the verdict only while its claim still holds, so a message
delivered twice, or a worker that comes back after the sweeper gave its job to another, can
never produce a second verdict. The queue itself may lose messages (a Redis restart, a killed
worker): the sweeper finds the rows left behind and queues them again.

* ``broker``: the Huey instance for a ``QUEUE_URL`` (an SQLite file under ``instance/`` by
  default, ``redis://…`` for many machines, ``immediate`` to grade inside the caller: tests);
* ``rows``: the atomic row transitions (claim, record, release, give up);
* ``grader``: what a worker does with one id;
* ``heartbeat``: workers say they are alive (and whether their sandbox works);
* ``sweeper``: re-queues lost and abandoned submissions, gives up after ``GRADER_MAX_ATTEMPTS``;
* ``tasks``: the queue as the web app sees it (enqueue an id);
* ``worker``: ``flask tutor worker``: the Huey consumer, N processes.
"""
