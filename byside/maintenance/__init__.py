"""Maintenance notices (`byside maintenance plan`): pure planning in plan.py, the iCalendar file and
the plain-text notice in render.py; the command only parses, calls and writes."""

from .plan import BadPlan, Notice, parse_duration, parse_local, parse_today, plan_notice
from .render import filenames, to_ics, to_text

__all__ = ["BadPlan", "Notice", "filenames", "parse_duration", "parse_local", "parse_today", "plan_notice", "to_ics",
           "to_text"]
