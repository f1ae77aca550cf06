"""The secret key an installation makes for itself (#10): several web processes starting at
once on a fresh instance folder all get the same, whole key. Each wrote the file in turn: 11 of
100 trials gave the processes different keys (sessions signed by one were refused by another:
"This form has expired") and 6 an empty one."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from tutor.web import _instance_secret
from tutor.web.database_file import InstanceFolderUnwritable


def _key(
    folder: str, start: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue[str]
) -> None:
    start.wait()
    out.put(_instance_secret(Path(folder)))


def test_processes_starting_together_share_one_whole_key(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    for trial in range(15):
        folder = tmp_path / f"instance-{trial}"
        folder.mkdir()
        start, out = context.Barrier(4), context.Queue()
        workers = [context.Process(target=_key, args=(str(folder), start, out)) for _ in range(4)]
        for worker in workers:
            worker.start()
        keys = {out.get(timeout=30) for _ in workers}
        for worker in workers:
            worker.join(timeout=30)
        assert len(keys) == 1 and len(keys.pop()) == 64, trial
        assert (folder / "secret_key").stat().st_mode & 0o777 == 0o600
        assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no file left behind


def test_a_folder_where_the_key_cannot_be_made_is_one_clear_sentence(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(InstanceFolderUnwritable, match="TUTOR_SECRET_KEY"):
        _instance_secret(blocked)
