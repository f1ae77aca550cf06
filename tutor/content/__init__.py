"""Lessons and exercises from ``lessons/``: loaded once, validated, and served as typed objects."""

from .loader import LessonError, load_catalog
from .model import Catalog, Exercise, Lesson

__all__ = ["Catalog", "Exercise", "Lesson", "LessonError", "load_catalog"]
