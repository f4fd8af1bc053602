"""What a SPARQL request may make dhrkg do beyond reading the local store, decided from the
parsed request, never from a pattern over its text.

Measured with pyoxigraph 0.5.13: ``SERVICE`` and ``LOAD`` make the store send HTTP requests
(the wheel is built with Oxigraph's HTTP client, and no option turns it off per query, so
nothing in the store itself can stop a fetch); ``FROM``/``FROM NAMED``/``USING`` only select
local named graphs. So, unless federation is explicitly enabled, a request is refused when
either of two independent readings finds a way out:

1. the exact terminals of the text (:mod:`graph.store.sparql_text`): any keyword that is, or
   begins with, SERVICE or LOAD (Oxigraph matches keywords without a word boundary), also as
   the prefix of a prefixed name (``SERVICEx:y``);
2. rdflib's SPARQL 1.1 parser over the same tokens: any ``SERVICE`` pattern or ``LOAD``
   operation anywhere in the parse tree (subqueries, ``EXISTS``, an update's ``WHERE``).

The store is handed the canonical text, in which comments are gone and IRIs cannot be read
as anything else, so what was checked is exactly what runs. A request nested deeper than
:data:`MAX_DEPTH` is refused before any parser that recurses sees it; a request the parser
rejects is a :class:`~graph.errors.QueryError` (400) with the parser's message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from graph.errors import QueryError
from graph.store.named_queries import shipped_texts
from graph.store.prefixes import predeclared
from graph.store.sparql_text import Token, canonical, depth, iri_value, render, tokens, where

MAX_DEPTH = 40
"""Brackets nested deeper than this are refused. rdflib's parser needs about 20 Python frames
per level and stops at depth ~48; Oxigraph's parser overflows its stack (a crash, not an
error) from a few thousand. The shipped queries nest at most 6 deep."""

NETWORK = ("SERVICE", "LOAD")
QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

Bindings = Mapping[ox.Variable, ox.NamedNode | ox.Literal]


@dataclass(frozen=True)
class Inspection:
    """What a request is and does, read from its tokens (and parse tree, once checked)."""

    form: str  # SELECT, CONSTRUCT, ASK, DESCRIBE, or UPDATE
    text: str  # the canonical text, given to the store
    network: tuple[str, ...]  # the keywords that would fetch, as written
    graphs: tuple[str, ...]  # graphs chosen by FROM / FROM NAMED / USING (resolved IRIs)
    groups: tuple[int, ...]  # token indexes after which bindings go (see bind)
    parts: tuple[Token, ...]
    shape: str  # the request with its strings, numbers and (absolute) IRIs left out: see _shape

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE"



def inspect(sparql: str) -> Inspection:
    """Read ``sparql`` (a query or an update) from its tokens: cheap, linear in its length,
    and never recursive, so it is safe on any input. Does not parse it: see :func:`check`.

    :raises QueryError: for a character that starts no SPARQL token, or nesting over
        :data:`MAX_DEPTH`.

    >>> inspect("PREFIX e: <urn:e:> SELECT * FROM e:g { ?s ?p ?o }").graphs
    ('urn:e:g',)
    >>> inspect("select * { SERVICE <http://x/> {} }").network
    ('SERVICE',)
    >>> inspect(r"PREFIX e: <urn:e:> SELECT * { ?q e:a\\# ?r } # SERVICE <http://x/> {}").network
    ()
    """
    return _inspect(sparql)


@lru_cache(maxsize=512)
def _inspect(sparql: str) -> Inspection:
    parts = tuple(tokens(sparql))
    code = [t for t in parts if t.kind not in ("ws", "comment")]
    deepest = depth(list(code))
    if deepest > MAX_DEPTH:
        raise QueryError(f"the query nests brackets {deepest} deep; dhrkg accepts at most {MAX_DEPTH}")
    network = tuple(t.text for t in code if _network_word(t))
    form = next((t.keyword for t in code if t.keyword in QUERY_FORMS + UPDATE_FORMS), "")
    return Inspection(
        form="UPDATE" if form in UPDATE_FORMS else form or "?",
        text="".join(render(t) for t in parts),
        network=network,
        graphs=tuple(_dataset_graphs(sparql, code)),
        groups=tuple(_groups(parts)),
        parts=parts,
        shape="".join(" " if t.kind in ("ws", "comment") else _shape(t) for t in parts).strip(),
    )


def _shape(token: Token) -> str:
    """A token with its value left out. Requests of one shape cost about the same (the
    executor's fast lane goes by it) and parse the same, so one parse serves them all.
    An IRI without a colon is kept: ``?y<2020&&?x>1`` is IRI-like to a tokenizer, but an
    expression to a parser.

    >>> inspect("ASK { <urn:a> ?p 'b' FILTER(?p<2&&?p>1) } LIMIT 5").shape
    'ASK { <x> ?p "x" FILTER(?p<2&&?p>0) } LIMIT 0'
    """
    if token.kind == "string":
        return '"x"'
    if token.kind == "number":
        return "0"
    if token.kind == "iri" and (":" in token.text or "\\" in token.text):
        return "<x>"
    return token.text


def _network_word(token: Token) -> bool:
    word = token.text.upper() if token.kind == "name" else ""
    if token.kind == "pname":
        word = token.text.split(":", 1)[0].upper()
    return word.startswith(NETWORK)


def _dataset_graphs(sparql: str, code: list[Token]) -> list[str]:
    prefixes: dict[str, str] = dict(predeclared())  # the store's parser knows them too
    graphs = []
    for i, token in enumerate(code):
        if token.keyword == "PREFIX" and i + 2 < len(code) and code[i + 2].kind == "iri":
            prefixes[code[i + 1].text[:-1]] = iri_value(code[i + 2])
        if token.keyword not in ("FROM", "USING"):
            continue
        named = i + 2 < len(code) and code[i + 1].keyword == "NAMED"
        target = code[i + 2] if named else code[min(i + 1, len(code) - 1)]
        if target.kind == "iri":
            graphs.append(iri_value(target))
        elif target.kind == "pname" and target.text.split(":", 1)[0] in prefixes:
            prefix, local = target.text.split(":", 1)
            graphs.append(prefixes[prefix] + re.sub(r"\\(.)", r"\1", local))
        else:
            raise QueryError(f"malformed SPARQL: {where(sparql, token.start)}: {token.text} must name a graph "
                             "by an IRI or a declared prefix")
    return graphs


def _groups(parts: tuple[Token, ...]) -> list[int]:
    """Where bindings go: right after the opening brace of the WHERE group of the query and
    of each subquery (``CONSTRUCT``'s template is not one)."""
    found = []
    expect = False
    template = 0  # 1: a CONSTRUCT that may open a template; 2: inside it
    for i, token in enumerate(parts):
        if token.kind in ("ws", "comment"):
            continue
        if token.kind == "name" and token.keyword in QUERY_FORMS:
            expect = True
            template = 1 if token.keyword == "CONSTRUCT" else 0
        elif template == 2:
            template = 0 if token.text == "}" else 2
        elif expect and token.text == "{" and token.kind == "punct":
            if template == 1:
                template = 2
            else:
                found.append(i)
                expect = False
        elif template == 1:
            template = 0  # CONSTRUCT WHERE: no template
    return found


def bind(inspection: Inspection, bindings: Bindings | None) -> str:
    r"""The canonical text with ``bindings`` put in as a VALUES block at the top of the WHERE
    group of the query and of each subquery, found from its tokens (a ``{`` in a string, an
    IRI or a comment is not a token). Terms are written by pyoxigraph (escaped N-Triples)
    and checked to read back as exactly one term, so a value can never become query text.
    Measured with pyoxigraph 0.5: its ``substitutions`` filter the solutions after evaluation
    instead of binding first (9.4 s against 0.12 s for link-evidence on 60 reviews).

    >>> bind(inspect("SELECT ?x WHERE { ?x ?p ?o }"), {ox.Variable("x"): ox.NamedNode("urn:a")})
    'SELECT ?x WHERE { VALUES ?x { <urn:a> } ?x ?p ?o }'
    >>> print(bind(inspect('ASK { ?s ?p ?o }'), {ox.Variable("o"): ox.Literal('x" } ;')}))
    ASK { VALUES ?o { "x\" } ;" } ?s ?p ?o }
    """
    if not bindings:
        return inspection.text
    if not inspection.groups:
        raise QueryError("cannot bind parameters: the query has no group pattern")
    values = " " + " ".join(_values(variable, term) for variable, term in bindings.items())
    out = []
    positions = set(inspection.groups)
    for i, token in enumerate(inspection.parts):
        out.append(render(token))
        if i in positions:
            out.append(values)
    return "".join(out)


def _values(variable: ox.Variable, term: ox.NamedNode | ox.Literal) -> str:
    block = f"VALUES ?{variable.value} {{ {term} }}"
    code = [t for t in tokens(block) if t.kind != "ws"]
    shape = [t.kind for t in code]
    literal = shape[3:-1] in (["string"], ["string", "langtag"], ["string", "punct", "iri"])
    if shape[:3] != ["name", "var", "punct"] or not (shape[3:-1] == ["iri"] or literal) or code[-1].text != "}":
        raise QueryError(f"cannot bind ?{variable.value} to {term}")
    return "".join(render(t) for t in tokens(block))


def check(inspection: Inspection, *, federation: bool = False, trusted: bool = False) -> None:
    """Refuse a request that would make dhrkg fetch over the network, or that the parser rejects.

    ``trusted`` skips the parse for dhrkg's own shipped queries (each is parsed by the test
    suite); the token check still runs.

    :raises QueryError: (400) naming the keyword, or with the parser's message.
    """
    if federation:
        return
    if inspection.network:
        raise _refusal(inspection.network[0])
    if not trusted:
        found = _parse_tree_network(inspection.shape, inspection.is_update, inspection.text)
        if found:
            raise _refusal(found)


def _refusal(keyword: str) -> QueryError:
    name = "LOAD" if keyword.upper().startswith("LOAD") else "SERVICE"
    return QueryError(f"{name} is disabled: dhrkg does not fetch remote data unless federation is enabled "
                      f"(FROM and FROM NAMED only select local named graphs; found {keyword!r})")


def prepare(sparql: str, bindings: Bindings | None = None, *, federation: bool = False,
            update: bool = False) -> tuple[Inspection, str]:
    """Inspect and check a query (or, with ``update``, an update) and give the text to run,
    with ``bindings`` put in. dhrkg's shipped queries skip the parse (see :func:`check`).

    :raises QueryError: for a query given as an update or the other way round, and as
        :func:`inspect` and :func:`check` do.

    >>> prepare("DELETE WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    graph.errors.QueryError: updates are not accepted here: this runs queries (SELECT, ASK, CONSTRUCT, DESCRIBE)
    """
    inspection = inspect(sparql)
    if inspection.is_update and not update:
        raise QueryError("updates are not accepted here: this runs queries (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    if update and not inspection.is_update:
        raise QueryError("not a SPARQL Update (INSERT, DELETE, …): send queries as queries")
    check(inspection, federation=federation, trusted=sparql in shipped_texts())
    return inspection, bind(inspection, bindings)


def check_local_only(sparql: str, *, federation: bool = False) -> None:
    """Refuse a query or update that would make dhrkg fetch over the network (see :func:`check`).

    >>> check_local_only("SELECT * { ?s ?p ?o }")
    >>> check_local_only("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    graph.errors.QueryError: SERVICE is disabled: ...
    """
    check(inspect(sparql), federation=federation)


def _parse_tree_network(shape: str, update: bool, text: str) -> str:
    """The first SERVICE or LOAD in rdflib's parse tree of the request ('' if none).

    rdflib's own entry points expand ``\\u`` escapes over the whole text before parsing, which
    Oxigraph does not do, so its grammar is used directly, on the request's shape (strings,
    numbers and IRIs replaced by inert ones: their content cannot change the structure), and
    one parse serves every request of that shape.
    """
    from pyparsing import ParseBaseException

    try:
        return _parse_shape(shape, update)
    except ParseBaseException:
        pass  # parse a copy that keeps every position, for a message that points into the text
    inert = "".join(_inert(t) for t in tokens(text))
    try:
        _grammar(update).parse_string(inert, parse_all=True)
    except ParseBaseException as err:
        raise QueryError(f"malformed SPARQL: {where(text, err.loc)}: {_pyparsing_message(err)}") from None
    except RecursionError:
        pass
    raise QueryError("malformed SPARQL: the parser could not read it")


@lru_cache(maxsize=2048)
def _parse_shape(shape: str, update: bool) -> str:
    try:
        tree = _grammar(update).parse_string(shape, parse_all=True)
    except RecursionError:
        raise QueryError("the query nests too deeply to be checked") from None
    return _find(tree)


def _grammar(update: bool) -> Any:
    from rdflib.plugins.sparql import parser

    return parser.UpdateUnit if update else parser.Query


def _inert(token: Token) -> str:
    if token.kind == "iri" and (":" in token.text or "\\" in token.text):
        return "<" + "x" * (len(token.text) - 2) + ">"
    if token.kind == "string":
        quote = 3 if token.text[:3] in ('"""', "'''") else 1
        body = re.sub(r"[^\r\n]", "x", token.text[quote:-quote])
        return token.text[:quote] + body + token.text[-quote:]
    return token.text


def _pyparsing_message(err: Any) -> str:
    found = str(err.line)[err.col - 1:err.col + 19].strip() if err.line else ""
    return f"{err.msg}, found {found!r}" if found else f"{err.msg} (the query ends too early)"


def _find(node: Any) -> str:
    stack = [node]
    while stack:
        item = stack.pop()
        name = getattr(item, "name", None)
        if name == "ServiceGraphPattern":
            return "SERVICE"
        if name == "Load":
            return "LOAD"
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)
    return ""


__all__ = ["Inspection", "MAX_DEPTH", "bind", "canonical", "check", "check_local_only", "inspect", "prepare"]
