"""Reading the report's HTML back in tests: tags, text, and tables as data.

Independent of the report's code: the standard library's HTMLParser only.
A page is parsed once per parser while the file is unchanged (callers must
not modify what they get back).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


class Text(HTMLParser):
    """The text of a page (entities decoded) and of its first ``<h1>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data = ""
        self.h1: str | None = None
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self._in_h1 = tag == "h1" and self.h1 is None
        if self._in_h1:
            self.h1 = ""

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        self.data += data
        if self._in_h1:
            self.h1 += data


class Tables(HTMLParser):
    """Every ``<table>`` with an id: headers, and rows of cells; a row has its
    ``attrs``, a cell its ``attrs``, ``text`` and the attributes of the
    ``spans`` and links (``a``) in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict] = {}
        self._table: dict | None = None
        self._cell: dict | None = None
        self._in_th = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "table" and "id" in a:
            self._table = {"headers": [], "rows": [], "attrs": a}
            self.tables[a["id"]] = self._table
        elif self._table is None:
            return
        elif tag == "th":
            self._in_th = True
            self._table["headers"].append("")
        elif tag == "tr" and not self._in_th:
            self._table["rows"].append({"attrs": a, "cells": []})
        elif tag == "td":
            self._cell = {"attrs": a, "text": "", "spans": [], "links": []}
            self._table["rows"][-1]["cells"].append(self._cell)
        elif tag == "span" and self._cell is not None:
            self._cell["spans"].append(a)
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append(a)

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "th":
            self._in_th = False
        elif tag == "td":
            self._cell = None
        elif tag == "thead" and self._table is not None:
            self._table["rows"] = []  # the header row is not a data row

    def handle_data(self, data):
        if self._table is None:
            return
        if self._in_th:
            self._table["headers"][-1] += data
        elif self._cell is not None:
            self._cell["text"] += data


#: Parsed pages, by parser and file (path, modification time, size): several tests
#: read every page of the one shared report (tests/conftest.py ``paper_report``).
_PARSED: dict[tuple[type, Path, int, int], HTMLParser] = {}


def _parsed(kind: type[HTMLParser], path: Path) -> HTMLParser:
    stat = path.stat()
    key = (kind, Path(path).resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _PARSED:
        parser = kind()
        parser.feed(path.read_text(encoding="utf-8"))
        _PARSED[key] = parser
    return _PARSED[key]


def tags(path: Path) -> list[tuple[str, dict[str, str]]]:
    parsed = _parsed(Tags, path)
    assert isinstance(parsed, Tags)
    return parsed.tags


def text(path: Path) -> Text:
    parsed = _parsed(Text, path)
    assert isinstance(parsed, Text)
    return parsed


def tables(path: Path) -> dict[str, dict]:
    parsed = _parsed(Tables, path)
    assert isinstance(parsed, Tables)
    return parsed.tables


def column(table: dict, header: str) -> list[dict]:
    """The cells of the column headed ``header``."""
    k = table["headers"].index(header)
    return [r["cells"][k] for r in table["rows"]]
