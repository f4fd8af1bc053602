"""Repeated-recommendation clusters written as the difference a change made.

The groups of texts clustered again (:mod:`graph.analysis.clusters`) are compared with what was
written: a cluster whose name (its representative) is kept is written as the triples of it that
changed and the members that came and went; a cluster gone or renamed is removed whole. A
recommendation of a changed document leaves its text's cluster then and joins its text's cluster
now; the others move only with their text, so a cluster of thousands that gained one member is
written as that member (and counted from what came: :func:`graph.analysis.cluster_facts.grown`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graph.analysis import triples
from graph.analysis.cluster_facts import ClusterFacts, counted, grown, representatives
from graph.analysis.clusters import TextModel
from graph.analysis.state import AnalysisState, ClusterHead, DocumentTexts
from graph.model.iris import short_hash
from graph.store.corpus_index import CorpusIndex


@dataclass
class ClusterChange:
    """What to write of the clusters, and what to keep of them."""

    written: dict[str, str]  # every cluster now: centre (its text's number, as a string) → node
    removed: list[str] = field(default_factory=list)  # lines
    added: list[str] = field(default_factory=list)
    nodes_gone: list[str] = field(default_factory=list)  # clusters gone or renamed: every triple about them
    heads: dict[str, ClusterHead | None] = field(default_factory=dict)  # clusters changed (None: gone)
    amended: int = 0  # clusters that kept their name and changed
    grown: int = 0  # … that only gained members


def cluster_change(index: CorpusIndex, old: AnalysisState, model: TextModel, groups: Mapping[int, list[int]],
                   redo: set[int], texts_then: Mapping[str, DocumentTexts], texts_now: Mapping[str, DocumentTexts],
                   *, records_moved: bool, whole: bool) -> ClusterChange:
    """The change to the clusters written when the groups ``redo`` (of ``groups``, by centre) were
    clustered again or hold texts whose recommendations changed: the documents changed were
    ``texts_then`` and are ``texts_now`` (every document, when ``whole``); ``records_moved``:
    some reviews were matched anew, so the reviews of unchanged recommendations may have moved."""
    written_then: dict[str, str] = {} if whole else old.written.get("clusters", {})  # centre → node
    written_now = {c: node for c, node in written_then.items() if int(c) in groups and int(c) not in redo}
    leaving = sorted({node for c, node in written_then.items() if c not in written_now})
    change = ClusterChange(written=written_now)
    # The cluster each text of the groups clustered again was in, and is in now.
    node_then: dict[int, str] = {}
    for centre, group in ([] if whole else old.groups.items()):
        if (centre in redo or centre not in groups) and str(centre) in written_then:
            node_then.update(dict.fromkeys(group, written_then[str(centre)]))
    # The facts of each group's cluster: grown from what it was when it only gained members.
    heads_then = old.cluster_heads(index, leaving)
    hashes = {t: short_hash(model.texts[t]) for c in redo for t in groups[c]}
    representative = representatives(index, {c: hashes[c] for c in redo})
    lost = {model.number[text] for _, recommendations in texts_then.values() for _, text in recommendations}
    new_recs: dict[int, list[str]] = defaultdict(list)  # of changed documents, by text
    for _, recommendations in texts_now.values():
        for rec, text in recommendations:
            new_recs[model.number[text]].append(rec)
    facts: dict[int, ClusterFacts] = {}
    growing: dict[int, set[int]] = {}  # centre → its texts then
    for centre in sorted(redo):
        node, had = triples.cluster_node(representative[centre]), set(old.groups.get(centre, []))
        if not records_moved and written_then.get(str(centre)) == node and node in heads_then \
                and lost.isdisjoint(had) and had <= set(groups[centre]):
            growing[centre] = had
    joining = {hashes[t]: c for c, earlier in growing.items() for t in groups[c] if t not in earlier}
    gained: dict[int, list[str]] = {c: [r for t in earlier for r in new_recs.get(t, ())]
                                    for c, earlier in growing.items()}
    read: dict[str, list[tuple[str, str]]] = {}  # a text's recommendations (IRI, document), by its hash

    def recommendations_of(norms: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        """The recommendations of texts, each read once (a text that joins a cluster moves too)."""
        wanted = sorted(set(norms) - read.keys())
        read.update((norm, []) for norm in wanted)
        for rec, norm, doc in index.rows_in("SELECT x.iri, x.norm, x.doc FROM recs x JOIN records r "
                                            "ON r.iri = x.record WHERE x.norm IN ({marks})", wanted):
            read[norm].append((rec, doc))
        return read

    joined = recommendations_of(joining)
    for text_norm, centre in joining.items():
        gained[centre].extend(rec for rec, _ in joined[text_norm])
    for centre, earlier in growing.items():
        facts[centre] = grown(index, heads_then[written_then[str(centre)]][1], {hashes[t] for t in earlier},
                              gained[centre])
    change.grown = len(growing)
    facts.update(counted(index, {c: [hashes[t] for t in groups[c]] for c in redo - set(growing)}, representative))
    node_now: dict[int, str] = {}
    heads_now: dict[str, ClusterHead] = {}
    for centre, found in facts.items():
        node = triples.cluster_node(found.representative)
        written_now[str(centre)] = node
        node_now.update(dict.fromkeys(groups[centre], node))
        heads_now[node] = (triples.cluster_head(node, found), found)
    change.nodes_gone.extend(node for node in leaving if node not in heads_now)  # gone, or renamed: whole
    for node in sorted(heads_then.keys() | heads_now.keys()):
        then = set(heads_then[node][0]) if node in heads_then else set()
        now = set(heads_now[node][0]) if node in heads_now else set()
        if then != now:
            change.removed.extend(sorted(then - now))
            change.added.extend(sorted(now - then))
            change.amended += bool(then and now)
        if heads_then.get(node) != heads_now.get(node):
            change.heads[node] = heads_now.get(node)
    # Members: those of changed documents, then those of texts that moved.
    went: set[tuple[str, str]] = set()
    came: set[tuple[str, str]] = set()
    for _, recommendations in texts_then.values():
        went.update((node_then[t], rec) for rec, text in recommendations
                    if (t := model.number[text]) in node_then)
    for _, recommendations in texts_now.values():
        came.update((node_now[t], rec) for rec, text in recommendations if (t := model.number[text]) in node_now)
    shifted = {} if whole else {short_hash(model.texts[t]): t for t in node_then.keys() | node_now.keys()
                                if node_then.get(t) != node_now.get(t)}  # (whole: every document changed)
    moved = recommendations_of(shifted)
    for norm, number in shifted.items():
        for rec, doc in moved[norm]:
            if doc not in texts_now:  # a changed document's are counted above
                if number in node_then:
                    went.add((node_then[number], rec))
                if number in node_now:
                    came.add((node_now[number], rec))
    change.removed.extend(triples.cluster_member_lines(sorted(went - came)))
    change.added.extend(triples.cluster_member_lines(sorted(came - went)))
    return change
