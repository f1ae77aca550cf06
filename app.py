import sys

from sqlalchemy.exc import OperationalError

from tutor.content.loader import LessonError
from tutor.web import create_app
from tutor.web.database_file import DatabaseFolderUnwritable, InstanceFolderUnwritable
from tutor.web.settings_check import SettingError

try:
    app = create_app()
except (
    SettingError,
    LessonError,
    DatabaseFolderUnwritable,
    InstanceFolderUnwritable,
) as exc:  # said in a line or a list, not a traceback
    sys.exit(f"VirtTutor cannot start: {exc}")
except OperationalError as exc:  # the schema is checked (and upgraded) at start
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    sys.exit(f"VirtTutor cannot start: the database cannot be used: {reason}")
