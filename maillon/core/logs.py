"""Log lines an administrator reads."""

from __future__ import annotations

import logging


class ForbiddenOnOneLine(logging.Filter):
    """A refused access (403) is routine — a volunteer following a link to another library's
    page — so it is told as one line (who, what, where), not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        who = getattr(user, "username", "") or "anonymous"
        record.msg = "Forbidden: %s %s by %s (%s)"
        record.args = (
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            who,
            record.exc_info[1] if record.exc_info else "",
        )
        record.exc_info = None
        record.exc_text = None
        return True
