import logging
import sys

from sqlalchemy.exc import OperationalError

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

try:
    app = create_app()
except (
    SettingError,
    LessonError,
    DatabaseFolderUnwritable,
    InstanceFolderUnwritable,
    SchemaMismatch,
) as exc:  # said in a line or a list, not a traceback
    sys.exit(f"VirtTutor cannot start: {exc}")
except OperationalError as exc:  # the schema is checked (and upgraded) at start
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    sys.exit(f"VirtTutor cannot start: the database cannot be used: {reason}")
