"""The answer log: votes under answers, follow-up context, and the report of what the archive lacks.

Nothing here handles Telegram updates itself: bot/routers/questions.py records answers and resolves
follow-ups through :class:`FeedbackService`, bot/routers/feedback.py takes votes and /report.
"""

from bot.feedback.followups import EarlierAnswer, FollowUpRules, follow_up_heading, is_acknowledgement
from bot.feedback.keyboard import Vote, with_votes
from bot.feedback.report import Report, build_report, csv_name, report_csv, report_text
from bot.feedback.service import FeedbackService
from bot.feedback.store import AnswerRecord, FeedbackStore, LogSummary, Tally

__all__ = [
    "AnswerRecord",
    "EarlierAnswer",
    "FeedbackService",
    "FeedbackStore",
    "FollowUpRules",
    "LogSummary",
    "Report",
    "Tally",
    "Vote",
    "build_report",
    "csv_name",
    "follow_up_heading",
    "is_acknowledgement",
    "report_csv",
    "report_text",
    "with_votes",
]
