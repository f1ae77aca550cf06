import logging
import sys

from sqlalchemy.exc import DatabaseError, OperationalError

from tutor.content.loader import LessonError
from tutor.web import create_app
from tutor.web.database_file import DatabaseFolderUnwritable, InstanceFolderUnwritable
from tutor.web.schema import SchemaMismatch
from tutor.web.settings_check import SettingError

# The site's own records (a refused LTI launch and its reason, queue trouble) at INFO: a web
# server that configures no logging itself (gunicorn, flask run) leaves Python's last-resort
# handler, which prints warnings only, so docs/lti.md's "logged at INFO" reached nobody.
if not logging.getLogger().handlers:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("tutor").setLevel(logging.INFO)

# The exit status of a start that cannot succeed however often it is tried (a setting, the
# lessons, the schema, a file that is no database): gunicorn halts on a worker's status 3 ("it
# cannot boot") instead of starting it again for ever, 19 times in 20 s, each saying the same.
CANNOT_BOOT = 3


def _stop(reason: str, status: int = CANNOT_BOOT) -> None:
    print(f"VirtTutor cannot start: {reason}", file=sys.stderr)
    sys.exit(status)


def _first_line(exc: DatabaseError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


try:
    app = create_app()
except (
    SettingError,
    LessonError,
    DatabaseFolderUnwritable,
    InstanceFolderUnwritable,
    SchemaMismatch,
) as exc:  # said in a line or a list, not a traceback
    _stop(str(exc))
except OperationalError as exc:  # the schema is checked (and upgraded) at start
    # Often passing (the database server restarting, a locked file): status 1, tried again.
    _stop(f"the database cannot be used: {_first_line(exc)}", status=1)
except DatabaseError as exc:  # not a database at all, or a damaged one
    _stop(
        f"the database file is not a database VirtTutor can read ({_first_line(exc)}): check "
        "DATABASE_URL names the site's database (not the queue's or a backup), or restore a "
        "backup (flask tutor restore)"
    )
