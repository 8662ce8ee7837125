"""Credentials out of text: a URI's password never reaches a message, a log line or a repr."""

from __future__ import annotations

import re

# scheme://user:password@host -> scheme://user:***@host (also with no user: falkordb://:pw@h)
_USERINFO = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^/\s:@]*):[^/\s@]*@", re.IGNORECASE)


def redact_uri(text: str) -> str:
    """TEXT with the password of every URI in it replaced by ***."""
    return _USERINFO.sub(r"\g<head>:***@", text)
