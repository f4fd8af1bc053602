"""Parser errors in words a person can act on.

Oxigraph's messages list every character class the grammar would have accepted (a wall of
Unicode ranges for an unknown prefix), and answer an update sent as a query with "expected
CONSTRUCT". :func:`explain` says what went wrong instead: an update where only queries are
run, an unknown prefix (and the predeclared ones), or the position and the tokens expected.
"""

from __future__ import annotations

import re

from graph.store.prefixes import predeclared

_UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_QUERY_KEYWORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_COMMENT = re.compile(r"(<[^<>\s]*>)|#[^\n]*")  # a '#' inside an IRI does not start a comment
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)<[^>]*>\s*)*", re.IGNORECASE)
_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_CHAR_CLASS = re.compile(r"\[[^\[\]]*\]")


def first_keyword(sparql: str) -> str:
    """The first word after the prologue (PREFIX and BASE lines), upper case.

    >>> first_keyword("PREFIX a: <urn:a#>\\n# a comment\\ndelete where { ?s ?p ?o }")
    'DELETE'
    """
    text = _COMMENT.sub(lambda m: m.group(1) or " ", sparql)
    text = text[_PROLOGUE.match(text).end():]  # type: ignore[union-attr]  # the pattern matches the empty string
    word = re.match(r"[A-Za-z]+", text)
    return word.group(0).upper() if word else ""


def is_update(sparql: str) -> bool:
    """Whether ``sparql`` is a SPARQL Update rather than a query.

    >>> is_update("INSERT DATA { <urn:a> <urn:b> <urn:c> }"), is_update("SELECT * {}")
    (True, False)
    """
    return first_keyword(sparql) in _UPDATE_KEYWORDS


def explain(sparql: str, message: str) -> str:
    """A short message for the parser's ``message`` about ``sparql``.

    >>> explain("DELETE WHERE { ?s ?p ?o }", "error at 1:10: expected CONSTRUCT")[:60]
    'updates are not accepted here: only queries (SELECT, ASK, CO'
    >>> explain("SELECT * { ?s foo:bar ?o }", "error at 1:22: expected one of Prefix not found, ['%']")[:60]
    "unknown prefix 'foo:' at line 1, column 15; declare it (PREF"
    """
    if is_update(sparql):
        return ("updates are not accepted here: only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) run; "
                "SPARQL Update goes to a write-enabled endpoint")
    position = _POSITION.match(message)
    line, column = (int(position.group(1)), int(position.group(2))) if position else (0, 0)
    if "Prefix not found" in message and position:
        found = _prefix_before(sparql, line, column)
        if found is not None:
            name, start = found
            known = ", ".join(f"{p}:" for p in predeclared())
            return (f"unknown prefix '{name}:' at line {line}, column {start}; declare it (PREFIX {name}: <…>) "
                    f"or use a predeclared one: {known}")
    if first_keyword(sparql) not in _QUERY_KEYWORDS:
        return ("malformed SPARQL: a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE "
                "(after any PREFIX or BASE lines)")
    return "malformed SPARQL: " + _shortened(message)


def _prefix_before(sparql: str, line: int, column: int) -> tuple[str, int] | None:
    """The prefix of the prefixed name that ends where the parser stopped, and its column."""
    lines = sparql.splitlines()
    if not 0 < line <= len(lines):
        return None
    before = lines[line - 1][: column - 1]
    match = re.search(r"(?<![\w.:-])((?:[A-Za-z][\w.-]*)?):[\w.%:-]*$", before)
    return (match.group(1), match.start() + 1) if match else None


def _shortened(message: str) -> str:
    """The parser's message without the character classes it would have accepted.

    >>> _shortened("error at 1:18: expected one of \\"{\\", ['0'..='9'], ['A' ..= 'Z']")
    'error at 1:18: expected one of "{"'
    """
    text = _CHAR_CLASS.sub("", message.replace("\n", " "))
    text = re.sub(r"(,\s*)+", ", ", text)
    return re.sub(r",\s*$", "", text.strip()).replace("Prefix not found, ", "")
