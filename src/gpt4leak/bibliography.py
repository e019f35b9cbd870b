"""Bibliography of the sources a report uses, in plain text, Markdown, HTML and BibTeX, and "how to cite".

Pure and stdlib only (it reads sources, never loads them). Every source field is untrusted text: Markdown
gets :func:`gpt4leak.sanitize.for_markdown`, HTML gets ``html.escape``, BibTeX gets its specials escaped, and a
URL becomes a link only when it is http(s).
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .sanitize import for_markdown, for_terminal

if TYPE_CHECKING:  # pragma: no cover
    from .catalogue import Catalogue
    from .records import Source

__all__ = ["Entry", "bibliography", "bibtex_escape", "entry", "how_to_cite", "to_bibtex", "to_html", "to_markdown",
           "web_url"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_BIB_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SPACE = re.compile(r"\s+")
_URL_REJECT = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")        # no whitespace or control character in a link
_URL_ENCODE = re.compile(r"[()<>\"'`\\{}|^\[\]]")          # kept, but percent-encoded, in a link target
_BIB_SPECIAL = re.compile(r"[\\{}$&%#_^~]")
_BIB_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}
_BIB_KEY_BAD = re.compile(r"[^A-Za-z0-9_.:\-]")
_DEFAULT_AUTHOR = "The gpt4leak developers"


@dataclass(frozen=True)
class Entry:
    """One source as a bibliography entry: ``key`` is the source id, ``text`` one plain line."""

    key: str
    text: str
    title: str
    author: str | None = None
    outlet: str | None = None
    date: _dt.date | None = None
    date_precision: str = "day"
    url: str | None = None
    citation: str | None = None
    document: str | None = None
    kind: str | None = None
    language: str | None = None

    @property
    def anchor(self) -> str:
        """The HTML id findings link to: ``src-{key}``."""
        return f"src-{self.key}"

    @property
    def date_text(self) -> str:
        """The date as far as the source gives it: "2023, July 10", "2023, July", "2023", or "n.d."."""
        return _date_text(self.date, self.date_precision)


# ----------------------------------------------------------------------------------------------- building
def _line(text: str | None) -> str | None:
    """One line, runs of white space (line breaks among them) made one space."""
    if text is None:
        return None
    text = _SPACE.sub(" ", text).strip()
    return text or None


def _date_text(date: _dt.date | None, precision: str) -> str:
    if date is None:
        return "n.d."
    if precision == "year":
        return f"{date.year}"
    if precision == "month":
        return f"{date.year}, {_MONTHS[date.month - 1]}"
    return f"{date.year}, {_MONTHS[date.month - 1]} {date.day}"


def _stop(text: str) -> str:
    """A sentence ending: a full stop unless the text already ends in one ("leaked." stays "leaked.")."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _parts(e: Entry) -> tuple[str, str, str | None, str | None]:
    """(lead, date, title or None when it leads, outlet): the author leads; with none, the title does."""
    if e.author:
        return e.author, e.date_text, e.title, e.outlet
    return e.title, e.date_text, None, e.outlet


def _plain(e: Entry) -> str:
    lead, date, title, outlet = _parts(e)
    words = [f"{lead} ({date})."]
    words += [_stop(x) for x in (title, outlet) if x]
    if e.url:
        words.append(e.url)
    return " ".join(words)


def entry(source: Source) -> Entry:
    """The entry of one source (fields made one line each)."""
    fields = {"key": source.id, "title": _line(source.title) or source.id, "author": _line(source.author),
              "outlet": _line(source.outlet), "date": source.date, "date_precision": source.date_precision,
              "url": _line(source.url), "citation": _line(source.citation), "document": _line(source.document),
              "kind": source.kind, "language": source.language}
    draft = Entry(text="", **fields)
    return Entry(text=_plain(draft), **fields)


def _sort_key(e: Entry) -> tuple:
    lead = _parts(e)[0]
    return (lead.casefold(), e.date is None, e.date or _dt.date.min, e.key)


def bibliography(catalogue: Catalogue, source_ids: Iterable[str] | None = None) -> list[Entry]:
    """Entries for ``source_ids`` (default: every source), by author (or title), date, id; each once.

    An id that is no source of the catalogue raises KeyError naming it."""
    index = {s.id: s for s in catalogue.sources}
    if source_ids is None:
        wanted = list(index)
    else:
        wanted = [source_ids] if isinstance(source_ids, str) else list(dict.fromkeys(source_ids))
        unknown = [i for i in wanted if i not in index]
        if unknown:
            raise KeyError(f"unknown source id{'s' if len(unknown) > 1 else ''}: "
                           f"{', '.join(repr(i) for i in unknown)}")
    return sorted((entry(index[i]) for i in wanted), key=_sort_key)


# ----------------------------------------------------------------------------------------------- links
def web_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) address without white space or control characters, else None."""
    if not url or _URL_REJECT.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _encoded(url: str) -> str:
    return _URL_ENCODE.sub(lambda m: f"%{ord(m.group()):02X}", url)


# ----------------------------------------------------------------------------------------------- Markdown
def _md(text: str) -> str:
    return for_markdown(text)


def _md_entry(e: Entry) -> str:
    lead, date, title, outlet = _parts(e)
    words = [f"{_md(lead)} ({_md(date)})."]
    if title:
        words.append(f"*{_md(title)}*" + ("" if title.endswith((".", "?", "!")) else "."))
    if outlet:
        words.append(_md(_stop(outlet)))
    if e.url:
        link = web_url(e.url)
        words.append(f"[{_md(e.url)}]({_encoded(link)})" if link else _md(e.url))
    return " ".join(words)


def to_markdown(entries: Iterable[Entry]) -> str:
    """A numbered Markdown list, ``<a id="src-{id}"></a>`` before each entry; every field escaped."""
    lines = [f'{n}. <a id="{html.escape(e.anchor, quote=True)}"></a>{_md_entry(e)}'
             for n, e in enumerate(entries, 1)]
    return "\n".join(lines) + ("\n" if lines else "")


# ----------------------------------------------------------------------------------------------- HTML
def _h(text: str) -> str:
    """Escaped for HTML, control characters shown as \\xNN."""
    return html.escape(for_terminal(text, single_line=True), quote=True)


def _html_entry(e: Entry) -> str:
    lead, date, title, outlet = _parts(e)
    words = [f"{_h(lead)} ({_h(date)})."]
    if title:
        words.append(f"<cite>{_h(title)}</cite>" + ("" if title.endswith((".", "?", "!")) else "."))
    if outlet:
        words.append(_h(_stop(outlet)))
    if e.url:
        link = web_url(e.url)
        words.append(f'<a href="{html.escape(_encoded(link), quote=True)}" rel="noopener">{_h(e.url)}</a>'
                     if link else _h(e.url))
    return " ".join(words)


def to_html(entries: Iterable[Entry]) -> str:
    """An ``<ol>`` with ``id="src-{id}"`` on each ``<li>``; links only for http(s) URLs (rel="noopener")."""
    items = [f'<li id="{html.escape(e.anchor, quote=True)}">{_html_entry(e)}</li>' for e in entries]
    return '<ol class="gpt4leak-bibliography">\n' + "".join(i + "\n" for i in items) + "</ol>\n"


# ----------------------------------------------------------------------------------------------- BibTeX
def bibtex_escape(text: str) -> str:
    """Text for a braced BibTeX field: braces, backslash and the TeX specials escaped, one line."""
    text = for_terminal(_SPACE.sub(" ", text).strip(), single_line=True)
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES.get(m.group(), "\\" + m.group()), text)


def _bib_key(key: str) -> str:
    return _BIB_KEY_BAD.sub("_", key) or "source"


def _bib_fields(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _bib_entry(e: Entry) -> str:
    fields: list[tuple[str, str]] = []
    if e.author:  # double braces: a literal name list, never split at its commas
        fields.append(("author", f"{{{{{bibtex_escape(e.author)}}}}}"))
    fields.append(("title", f"{{{{{bibtex_escape(e.title)}}}}}"))
    if e.outlet:
        fields.append(("howpublished", f"{{{bibtex_escape(e.outlet)}}}"))
    if e.date is not None:
        fields.append(("year", f"{{{e.date.year}}}"))
        iso = f"{e.date.year:04d}"
        if e.date_precision in ("month", "day"):
            fields.append(("month", _BIB_MONTHS[e.date.month - 1]))
            iso += f"-{e.date.month:02d}"
        if e.date_precision == "day":
            iso += f"-{e.date.day:02d}"
        fields.append(("date", f"{{{iso}}}"))
    link = web_url(e.url)
    if link:
        fields.append(("url", f"{{{_encoded(link)}}}"))
    note = [f"Source {e.key}" + (f" ({e.kind})" if e.kind else "") + "."]
    if e.url and not link:
        note.append(f"Address: {e.url}.")
    if e.document:
        note.append(f"Collected copy: {e.document}.")
    fields.append(("note", f"{{{bibtex_escape(' '.join(note))}}}"))
    return _bib_fields("misc", _bib_key(e.key), fields)


def to_bibtex(entries: Iterable[Entry]) -> str:
    """One @misc entry per source (author, title, howpublished, year/month/date, url, note), keyed by id."""
    return "\n".join(_bib_entry(e) for e in entries)


# ----------------------------------------------------------------------------------------------- how to cite
def _metadata() -> tuple[str | None, str | None, str]:
    """(repository URL, summary, authors) of the installed distribution, where its metadata gives them."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata
        meta = metadata("gpt4leak")
    except (ImportError, PackageNotFoundError):  # pragma: no cover - not installed
        return None, None, _DEFAULT_AUTHOR
    urls = {}
    for item in meta.get_all("Project-URL") or []:
        label, _, url = item.partition(",")
        urls[label.strip().casefold()] = url.strip()
    repo = None
    for label in ("repository", "source", "source code", "code", "github", "homepage"):
        if web_url(urls.get(label)):
            repo = urls[label]
            break
    author = meta.get("Author") or ""
    if not author and meta.get("Author-email"):
        author = re.sub(r"\s*<[^>]*>", "", meta["Author-email"]).strip()
    return repo, meta.get("Summary") or None, author or _DEFAULT_AUTHOR


def how_to_cite(version: str, catalogue_hash: str, seed: int | str | None,
                command: str | None = None) -> dict[str, str]:
    """The software with the catalogue hash and seed, as "text", "bibtex" (@software) and "markdown"."""
    version, catalogue_hash, seed_text = (for_terminal(str(x), single_line=True)
                                          for x in (version, catalogue_hash, seed))
    repo, summary, author = _metadata()
    text = f"gpt4leak {version} (catalogue {catalogue_hash}, seed {seed_text})."
    if repo:
        text += f" {repo}"
    cmd = for_terminal(_SPACE.sub(" ", command).strip(), single_line=True) if command else None
    note = f"Catalogue {catalogue_hash}, seed {seed_text}." + (f" Command: {cmd}" if cmd else "")
    fields = [("author", f"{{{{{bibtex_escape(author)}}}}}"),
              ("title", "{{gpt4leak}" + (f": {bibtex_escape(summary)}" if summary else "") + "}"),
              ("version", f"{{{bibtex_escape(version)}}}"),
              ("note", f"{{{bibtex_escape(note)}}}")]
    if repo:
        fields.append(("url", f"{{{_encoded(repo)}}}"))
    bibtex = _bib_fields("software", _bib_key(f"gpt4leak-{version}"), fields)
    body = text + (f"\nReproduce with: {cmd}" if cmd else "")
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", body)), default=0))
    markdown = f"{fence}text\n{body}\n{fence}\n"
    return {"text": text, "bibtex": bibtex, "markdown": markdown}
