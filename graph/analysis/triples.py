"""The analysis as triples, one thing at a time (a link, a cluster, a community, an agency's
scores), so a run writes the things that changed and nothing else."""

from __future__ import annotations

from collections.abc import Iterable

from graph.analysis.cluster_facts import ClusterFacts
from graph.analysis.failures import FailureKey
from graph.analysis.links import SCALE, Link
from graph.analysis.measures import AgencyCentrality, Community
from graph.model.iris import short_hash
from graph.model.terms import DHR, ID, PROV, RDF, XSD, agency_type, theme
from graph.rdf.builder import Lit, Triples, string, typed
from graph.store.base import ANALYSIS_GRAPH


def header(fingerprint: str) -> list[str]:
    out = Triples()
    out.add(ANALYSIS_GRAPH, DHR.analysisFingerprint, string(fingerprint))
    out.add(ANALYSIS_GRAPH, PROV.wasGeneratedBy, DHR.FailureLinking)
    out.add(ANALYSIS_GRAPH, PROV.wasGeneratedBy, DHR.RecommendationClustering)
    return out.lines()


def link_node(a: str, b: str) -> str:
    return f"{ID}link/{short_hash(a + ' ' + b)}"  # not ID[…]: rdflib checks each IRI


def link_lines(link: Link) -> list[str]:
    """A link's node (reviews, score, what they share and the failures behind it) and the
    ``dhr:sharesFailuresWith`` pair."""
    out = Triples()
    node = link_node(link.a, link.b)
    out.add(node, RDF.type, DHR.ReviewLink)
    out.add(node, DHR.linkedReview, link.a)
    out.add(node, DHR.linkedReview, link.b)
    out.add(node, DHR.score, _score(link.score))
    out.add(node, DHR.sharedFailureCount, typed(link.shared_count, XSD.integer))
    out.tuples.extend(_pair(link.a, link.b).tuples)
    evidence: set[str] = set()
    for shared in link.shared:
        out.add(node, DHR.sharedFailure, shared_failure_iri(shared.key))
        evidence.update(shared.evidence_a + shared.evidence_b)
    for failure in sorted(evidence):
        out.add(node, DHR.evidenceFailure, failure)
    return out.lines()


def pair_lines(a: str, b: str) -> list[str]:
    """The ``dhr:sharesFailuresWith`` pair of a link, both ways."""
    return _pair(a, b).lines()


def _pair(a: str, b: str) -> Triples:
    out = Triples()
    out.add(a, DHR.sharesFailuresWith, b)
    out.add(b, DHR.sharesFailuresWith, a)
    return out


def score_line(a: str, b: str, score: float) -> str:
    """The line of a link's score: all that changes when a weight under it moves."""
    out = Triples()
    out.add(link_node(a, b), DHR.score, _score(score))
    return out.lines()[0]


def _score(score: float) -> Lit:
    return typed(f"{score:.4f}", XSD.decimal)


def shared_failure_iri(key: FailureKey) -> str:
    """One node per kind of failure two reviews can share, cited by every link sharing it."""
    return f"{ID}shared-failure/{key[0]}-{key[1] or 'theme'}"


def shared_failure_lines(key: FailureKey, weight: int) -> list[str]:
    out = Triples()
    item = shared_failure_iri(key)
    failure_key(out, item, key)
    out.add(item, DHR.weight, typed(f"{weight / SCALE:.4f}", XSD.decimal))
    return out.lines()


def cluster_node(representative: str) -> str:
    """A cluster is named by its representative, so it keeps its name as members come and go."""
    return str(ID[f"cluster/{short_hash(representative)}"])


def cluster_head(node: str, facts: ClusterFacts) -> list[str]:
    """A cluster's triples but its members (:func:`cluster_member_lines`)."""
    out = Triples()
    out.add(node, RDF.type, DHR.RecommendationCluster)
    out.add(node, DHR.representative, facts.representative)
    out.add(node, DHR.size, typed(facts.size, XSD.integer))
    out.add(node, DHR.reviewCount, typed(facts.reviews, XSD.integer))
    for addressee in facts.agencies:
        out.add(node, DHR.clusterAgency, addressee)
    if facts.first_published is not None and facts.last_published is not None:
        out.add(node, DHR.firstPublished, string(facts.first_published))
        out.add(node, DHR.lastPublished, string(facts.last_published))
    return out.lines()


def cluster_member_lines(members: Iterable[tuple[str, str]]) -> list[str]:
    """The lines that make each ``(cluster node, recommendation)`` a member."""
    out = Triples()
    for node, recommendation in members:
        out.add(node, DHR.clusterMember, recommendation)
    return out.lines()


def community_lines(communities: Iterable[Community]) -> list[str]:
    """Communities, each named by its first member: a community that gains or loses a few reviews
    keeps its name, so a run writes the reviews that moved rather than every member again."""
    out = Triples()
    for number, community in enumerate(communities, start=1):
        node = ID[f"community/{short_hash(community.members[0])}"]
        out.add(node, RDF.type, DHR.Community)
        out.add(node, DHR.size, typed(len(community.members), XSD.integer))
        out.add(node, DHR.rank, typed(number, XSD.integer))
        for review in community.members:
            out.add(review, DHR.community, node)
        for key, count, lift in community.defining:
            item = ID[f"{node[len(ID):]}/{key[0]}-{key[1]}"]
            out.add(node, DHR.definingFailure, item)
            failure_key(out, item, key)
            out.add(item, DHR.reviewCount, typed(count, XSD.integer))
            out.add(item, DHR.score, typed(f"{lift:.3f}", XSD.decimal))
    return out.lines()


def centrality_lines(agencies: Iterable[AgencyCentrality]) -> list[str]:
    out = Triples()
    for agency in agencies:
        out.add(agency.agency, DHR.degree, typed(agency.degree, XSD.integer))
        out.add(agency.agency, DHR.betweenness, typed(f"{agency.betweenness:.6f}", XSD.decimal))
    return out.lines()


def failure_key(out: Triples, node: str, key: FailureKey) -> None:
    """Put a failure key on a node: its class, match level, theme and agency type if any."""
    theme_code, type_code = key
    out.add(node, RDF.type, DHR.SharedFailure)
    out.add(node, DHR.matchLevel, string("theme and agency type" if type_code else "theme"))
    out.add(node, DHR.failureTheme, theme(theme_code))
    if type_code:
        out.add(node, DHR.failureAgencyType, agency_type(type_code))
