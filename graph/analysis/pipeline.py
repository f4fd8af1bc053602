"""Analysis across reviews: links by shared failures, repeated recommendations, network measures.

``analyse(store)`` reads failures and recommendations from the store, computes everything
and writes it back as RDF into one named graph (replaced in one transaction), so SPARQL
and the web pages can explain every link, cluster and score. The graph records a
fingerprint of the source documents it was computed from, so a later ingest can tell that
it is stale (:func:`analysis_state`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pyoxigraph as ox

from graph.analysis.clusters import Cluster, find_clusters, load_texts
from graph.analysis.failures import FailureKey, load_failures, representatives
from graph.analysis.links import Link, compute_links
from graph.analysis.measures import AgencyCentrality, Community, agency_centrality, communities
from graph.analysis.settings import AnalysisSettings
from graph.model.iris import short_hash
from graph.model.terms import DHR, ID, PROV, RDF, XSD, agency_type, theme
from graph.rdf.builder import Triples, string, typed
from graph.store.base import ANALYSIS_GRAPH, GraphStore
from graph.store.named_queries import NamedQuery, internal_query

__all__ = ["AnalysisReport", "analyse", "analysis_state"]


@dataclass
class AnalysisReport:
    reviews_with_failures: int = 0
    links: list[Link] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)
    agencies: list[AgencyCentrality] = field(default_factory=list)


def analysis_state(store: GraphStore) -> Literal["fresh", "stale", "missing"]:
    """Whether the stored analysis was computed from the documents now in the store."""
    result = store.query(internal_query("analysis-fingerprint").text).rows()
    if not result:
        return "missing"
    return "fresh" if result[0][0] == store.fingerprint() else "stale"


def why_no_links(store: GraphStore) -> str:
    """Why a question about links between reviews has no answer: links never computed, links
    out of date, or no review sharing enough failures.

    >>> from graph import Store
    >>> why_no_links(Store())
    'links between reviews have not been computed yet: run `dhrkg link`'
    """
    state = analysis_state(store)
    if state == "missing":
        return "links between reviews have not been computed yet: run `dhrkg link`"
    if state == "stale":
        return "the links are out of date (documents changed since): run `dhrkg link`"
    return "no review shares enough failures with another to be linked"


def reads_links(query: NamedQuery) -> bool:
    """Whether a named query answers from the links between reviews (so an empty answer may
    mean they were never computed)."""
    return "dhr:linkedReview" in query.text


def analyse(store: GraphStore, settings: AnalysisSettings = AnalysisSettings()) -> AnalysisReport:
    """Compute links, clusters, communities and agency centrality, and store them.

    >>> from graph import Store, ingest
    >>> from graph.resources import data_dir
    >>> store = Store(); _ = ingest(store, [data_dir() / "seed"])
    >>> report = analyse(store)
    >>> report.reviews_with_failures, len(report.links), analysis_state(store)
    (1, 0, 'fresh')
    """
    representative = representatives(store)  # records of one review pooled, for failures and texts alike
    reviews = load_failures(store, representative)
    links = compute_links(reviews, settings)
    texts = load_texts(store, representative)
    report = AnalysisReport(
        reviews_with_failures=len(reviews),
        links=links,
        clusters=find_clusters(texts, settings.cluster_threshold),
        communities=communities(links, reviews),
        agencies=agency_centrality(
            (text.review, agency) for text in texts for agency in text.agencies if agency != str(DHR.AllAgencies)),
    )
    store.replace_graph(str(ANALYSIS_GRAPH), _triples(report, store.fingerprint()))
    store.optimize()  # linking ends a build: the queries that follow read a compacted store
    return report


def _triples(report: AnalysisReport, print_: str) -> list[ox.Triple]:
    out = Triples()
    out.add(ANALYSIS_GRAPH, DHR.analysisFingerprint, string(print_))
    out.add(ANALYSIS_GRAPH, PROV.wasGeneratedBy, DHR.FailureLinking)
    out.add(ANALYSIS_GRAPH, PROV.wasGeneratedBy, DHR.RecommendationClustering)
    kinds: dict[FailureKey, float] = {}
    for link in report.links:
        node = f"{ID}link/{short_hash(link.a + ' ' + link.b)}"  # not ID[…]: rdflib checks each IRI
        out.add(node, RDF.type, DHR.ReviewLink)
        out.add(node, DHR.linkedReview, link.a)
        out.add(node, DHR.linkedReview, link.b)
        out.add(node, DHR.score, typed(f"{link.score:.4f}", XSD.decimal))
        out.add(node, DHR.sharedFailureCount, typed(link.shared_count, XSD.integer))
        out.add(link.a, DHR.sharesFailuresWith, link.b)
        out.add(link.b, DHR.sharesFailuresWith, link.a)
        evidence: set[str] = set()
        for shared in link.shared:
            kinds[shared.key] = shared.weight
            out.add(node, DHR.sharedFailure, _shared_failure_iri(shared.key))
            evidence.update(shared.evidence_a + shared.evidence_b)
        for failure in sorted(evidence):
            out.add(node, DHR.evidenceFailure, failure)
    for key, weight in sorted(kinds.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        item = _shared_failure_iri(key)
        _failure_key(out, item, key)
        out.add(item, DHR.weight, typed(f"{weight:.4f}", XSD.decimal))
    for cluster in report.clusters:
        node = ID[f"cluster/{short_hash(' '.join(m.recommendation for m in cluster.members))}"]
        out.add(node, RDF.type, DHR.RecommendationCluster)
        out.add(node, DHR.representative, cluster.representative.recommendation)
        out.add(node, DHR.size, typed(len(cluster.members), XSD.integer))
        out.add(node, DHR.reviewCount, typed(len(cluster.reviews), XSD.integer))
        for member in cluster.members:
            out.add(node, DHR.clusterMember, member.recommendation)
        for addressee in sorted(cluster.agencies):
            out.add(node, DHR.clusterAgency, addressee)
        if cluster.published:
            out.add(node, DHR.firstPublished, string(cluster.published[0]))
            out.add(node, DHR.lastPublished, string(cluster.published[-1]))
    for number, community in enumerate(report.communities, start=1):
        node = ID[f"community/{short_hash(' '.join(community.members))}"]
        out.add(node, RDF.type, DHR.Community)
        out.add(node, DHR.size, typed(len(community.members), XSD.integer))
        out.add(node, DHR.rank, typed(number, XSD.integer))
        for review in community.members:
            out.add(review, DHR.community, node)
        for key, count, lift in community.defining:
            item = ID[f"{node[len(ID):]}/{key[0]}-{key[1]}"]
            out.add(node, DHR.definingFailure, item)
            _failure_key(out, item, key)
            out.add(item, DHR.reviewCount, typed(count, XSD.integer))
            out.add(item, DHR.score, typed(f"{lift:.3f}", XSD.decimal))
    central_first = sorted(report.agencies, key=lambda a: (-a.betweenness, -a.degree, a.agency))
    for rank, agency in enumerate(central_first, start=1):
        out.add(agency.agency, DHR.degree, typed(agency.degree, XSD.integer))
        out.add(agency.agency, DHR.betweenness, typed(f"{agency.betweenness:.6f}", XSD.decimal))
        out.add(agency.agency, DHR.centralityRank, typed(rank, XSD.integer))
    return out.items


def _shared_failure_iri(key: FailureKey) -> str:
    """One node per kind of failure two reviews can share, cited by every link sharing it."""
    return f"{ID}shared-failure/{key[0]}-{key[1] or 'theme'}"


def _failure_key(out: Triples, node: str, key: FailureKey) -> None:
    """Put a failure key on a node: its class, match level, theme and agency type if any."""
    theme_code, type_code = key
    out.add(node, RDF.type, DHR.SharedFailure)
    out.add(node, DHR.matchLevel, string("theme and agency type" if type_code else "theme"))
    out.add(node, DHR.failureTheme, theme(theme_code))
    if type_code:
        out.add(node, DHR.failureAgencyType, agency_type(type_code))
