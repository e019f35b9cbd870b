"""One sanitiser per sink for untrusted text (quotes, ids, labels, values, error messages from user input).

A terminal gets no control characters (ANSI and OSC escape sequences are shown as \\xNN, not sent); Markdown
gets one line with its markup escaped; HTML is escaped by ``html.escape`` where it is made; JSON needs nothing.
Lower rooms (the loader's errors) use it too, so it imports nothing of ours.
"""

from __future__ import annotations

import re

__all__ = ["for_terminal", "for_markdown"]

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")   # C0 but the line feed, DEL, C1 (ANSI/OSC escapes)
_CONTROL_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#|<>!])")


def for_terminal(text: str, single_line: bool = False) -> str:
    """Text for a terminal: control characters (escape sequences among them) shown as \\xNN, never sent; with
    ``single_line``, line breaks too (an error message cannot forge a second line)."""
    pattern = _CONTROL_ALL if single_line else _CONTROL
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def for_markdown(text: str) -> str:
    """Untrusted text inside Markdown (a table cell, a quote): one line, its markup characters escaped, so that
    a "|" cannot split a cell, "<script>" stays text and "[x](javascript:...)" is no link."""
    one_line = re.sub(r"\s*[\r\n]+\s*", " ", text)
    return for_terminal(_MD_SPECIAL.sub(r"\\\1", one_line), single_line=True)
