"""SPARQL text as the SPARQL 1.1 grammar's terminals, read exactly, and the text the store is given.

Nothing here guesses what a piece of text is: every character of a query is part of one
terminal of the grammar (IRIREF, a string, a variable, a prefixed name, a number, a keyword,
punctuation, white space or a comment), or the query is refused. From the tokens come
what :mod:`graph.store.safety` decides on (keywords, nesting, dataset clauses) and the text
handed to Oxigraph, which is the same query with two rewrites that leave its meaning alone
but remove every way two readers could disagree about it:

- comments are blanked (line breaks kept, so line numbers in errors still match);
- ``'`` and ``#`` inside an IRI are written as ``\\u0027`` and ``\\u0023``. Measured with
  pyoxigraph 0.5: in an expression, ``?o <'b> …`` is read as *less than* followed by a
  string, so an IRI-looking token could open a string or a comment that hides the rest of
  the line from any reader that took it for an IRI. Escaped, the text is an IRI to Oxigraph
  (which decodes ``\\u`` in IRIs) and a syntax error read any other way.

Measured too: Oxigraph matches keywords without a word boundary (``SERVICEx:y {…}`` is
SERVICE with the IRI ``x:y``; ``SERVICESILENT<…>`` fetches), ends a comment at CR as well as
LF, and does not expand ``\\u`` escapes outside IRIs and strings (rdflib's parser does,
everywhere). See :func:`tokens` and :func:`canonical`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from graph.errors import QueryError

_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_ECHAR = r"""\\[tbnrf\\"']"""
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
         "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_U = f"{_BASE}_"
_CHARS = f"{_U}\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = rf"%{_HEX}{_HEX}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_EXPONENT = "[eE][+-]?[0-9]+"

_TERMINALS = [
    ("ws", r"[ \t\r\n]+"),
    ("comment", r"#[^\r\n]*"),
    ("iri", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"),
    ("string", rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''"),
    ("string", rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*"""'),
    ("string", rf"'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*'"),
    ("string", rf'"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*"'),
    ("var", f"[?$]{_VARNAME}"),
    ("blank", rf"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
    ("pname", f"(?:{_PREFIX})?:(?:{_LOCAL})?"),
    ("langtag", "@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", rf"[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}|[0-9]*\.[0-9]+|[0-9]+"),
    ("name", "[A-Za-z][A-Za-z0-9_]*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;*+\-/!=<>^|?]"),
]
_SCANNER = re.compile("|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(_TERMINALS)))
_KINDS = {f"{kind}{i}": kind for i, (kind, _) in enumerate(_TERMINALS)}
_UNESCAPE = re.compile(_UCHAR)
OPENERS, CLOSERS = "{([", "})]"


class Token(NamedTuple):
    """One terminal of the query: its kind (``iri``, ``string``, ``var``, ``blank``, ``pname``,
    ``langtag``, ``number``, ``name``, ``punct``, ``ws`` or ``comment``), its text as written,
    and where it starts in the query."""

    kind: str
    text: str
    start: int

    @property
    def keyword(self) -> str:
        """The upper-cased keyword of a ``name`` token ('' for any other kind)."""
        return self.text.upper() if self.kind == "name" else ""


def tokens(sparql: str) -> Iterator[Token]:
    """Every terminal of ``sparql`` in order, white space and comments included.

    :raises QueryError: at the first character that starts no terminal, with its line and column.

    >>> [t.text for t in tokens("ASK{?s <urn:a#b> 'x'}") if t.kind != "ws"]
    ['ASK', '{', '?s', '<urn:a#b>', "'x'", '}']
    >>> [t.kind for t in tokens(r"?s e:a\\#b ?o # note") if t.kind != "ws"]
    ['var', 'pname', 'var', 'comment']
    """
    position = 0
    for match in _SCANNER.finditer(sparql):
        start = match.start()
        if start != position:
            break
        position = match.end()
        yield Token(_KINDS[match.lastgroup or ""], match.group(), start)
    if position != len(sparql):
        raise QueryError(f"malformed SPARQL: {where(sparql, position)}: unexpected "
                         f"{_describe(sparql[position])} (not part of any SPARQL token)")


def where(sparql: str, position: int) -> str:
    """``line L, column C`` of a position in ``sparql`` (both from 1).

    >>> where("SELECT\\n  x", 9)
    'line 2, column 3'
    """
    line = sparql.count("\n", 0, position) + 1
    return f"line {line}, column {position - (sparql.rfind(chr(10), 0, position) + 1) + 1}"


def _describe(char: str) -> str:
    return f"{char!r}" if char.isprintable() else f"character U+{ord(char):04X}"


def iri_value(token: Token) -> str:
    r"""The IRI an ``iri`` token stands for, its ``\u`` escapes decoded.

    >>> iri_value(Token("iri", r"<urn:a\u0041>", 0))
    'urn:aA'
    """
    return _UNESCAPE.sub(lambda m: chr(int(m.group()[2:], 16)), token.text[1:-1])


def render(token: Token) -> str:
    """A token as it is given to the store: comments blanked (line breaks kept), ``'`` and
    ``#`` in IRIs escaped (see the module's docstring), everything else as written.

    >>> render(Token("iri", "<urn:x#y'z>", 0)), render(Token("comment", "# SERVICE", 0))
    ('<urn:x\\\\u0023y\\\\u0027z>', '         ')
    """
    if token.kind == "comment":
        return " " * len(token.text)
    if token.kind == "iri":
        return token.text.replace("#", "\\u0023").replace("'", "\\u0027")
    return token.text


def canonical(sparql: str) -> str:
    """``sparql`` as it is given to the store (see :func:`render`).

    >>> canonical("ASK { ?s ?p <urn:a#b> } # done")
    'ASK { ?s ?p <urn:a\\\\u0023b> }       '
    """
    return "".join(render(token) for token in tokens(sparql))


def depth(parts: list[Token]) -> int:
    """How deep brackets (``{ ( [``) nest in a query's tokens.

    >>> depth(list(tokens("ASK { FILTER((1)) }")))
    3
    """
    deepest = level = 0
    for token in parts:
        if token.kind == "punct" and token.text in OPENERS:
            level += 1
            deepest = max(deepest, level)
        elif token.kind == "punct" and token.text in CLOSERS:
            level -= 1
    return deepest
