import sys

from tutor.content.loader import LessonError
from tutor.web import create_app
from tutor.web.settings_check import SettingError

try:
    app = create_app()
except (SettingError, LessonError) as exc:  # said in a line or a list, not a traceback
    sys.exit(f"VirtTutor cannot start: {exc}")
