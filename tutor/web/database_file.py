"""The SQLite database file: private to the server's user, in a folder the server can write.

The database holds every learner's code and reports. SQLite creates a new file with the
process's umask (usually 0644: readable by every local user), and its journal files copy the
database file's mode, so the file is made here first, 0600, before anything opens it.

A folder the server cannot write would otherwise surface as a raw ``sqlite3.OperationalError``
traceback on the first write (SQLite also needs the folder for its WAL and journal files);
here it stops the start with a sentence saying what to change.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class DatabaseFolderUnwritable(RuntimeError):
    """The database's folder (or the file) cannot be written by this server."""


class InstanceFolderUnwritable(RuntimeError):
    """The instance folder (secret key, caches, lesson builds, SQLite by default) cannot be made."""


def make_instance_folder(instance: Path) -> None:
    """Creates the instance folder if needed, or says in one sentence why it cannot: a server
    started as another user than the one who set the checkout up would otherwise stop on a bare
    ``PermissionError`` traceback."""
    try:
        instance.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise InstanceFolderUnwritable(
            f"the instance folder {instance} cannot be created by this server's user "
            f"(uid {os.geteuid()}): run `make setup` (it creates it), or create it and make it "
            "writable by that user"
        ) from None


def in_memory(url: URL) -> bool:
    """``sqlite://``, ``sqlite:///:memory:``, or a ``file:…?mode=memory`` URI: a database that
    only its own connection sees, with no file to prepare."""
    return url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"


def prepare(uri: str, instance: Path) -> Path | None:
    """For a SQLite file URI: check the folder, create the file 0600 if new; its path.

    A relative path is relative to the instance folder, as Flask-SQLAlchemy reads it."""
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or url.database is None or in_memory(url):
        return None
    path = (instance / url.database).resolve()
    folder = path.parent
    fix = (
        f"make it writable by this server's user (uid {os.geteuid()}), or point "
        "SQLALCHEMY_DATABASE_URI elsewhere"
    )
    try:
        exists = folder.is_dir()
    except PermissionError:
        raise DatabaseFolderUnwritable(
            f"the database folder {folder} cannot be reached (a folder above it is private): {fix}"
        ) from None
    if not exists:
        raise DatabaseFolderUnwritable(f"the database folder {folder} does not exist: create it")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseFolderUnwritable(
            f"the database folder {folder} is not writable (SQLite keeps its journal there): {fix}"
        )
    # Made before, or a moment ago by another worker starting beside this one: either is fine.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseFolderUnwritable(f"the database file {path} is not writable: {fix}")
    for existing in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        # A database made before this check (0644) is made private too, if it is ours.
        if existing.exists() and existing.stat().st_uid == os.geteuid():
            existing.chmod(existing.stat().st_mode & 0o700)
    return path
