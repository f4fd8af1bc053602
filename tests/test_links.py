"""Linking reviews that share failures, repeated recommendations, and network measures,
on small corpora whose expected links and clusters are known by construction."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph import Store, ingest
from graph.analysis.failures import load_failures
from graph.analysis.links import compute_links
from graph.analysis.measures import communities
from graph.analysis.pipeline import analyse, analysis_state
from graph.analysis.settings import AnalysisSettings
from graph.cli import main
from graph.model.iris import review_iri
from graph.views.networks import to_networkx

HEADER = "| # | Recommendation | Addressed to |\n|---|---|---|\n"

# Alpha and Beta share a rare failure (information sharing × police); Beta and Gamma share
# training × primary care, in near-identical words; Alpha and Gamma share nothing.
PAGES = {
    "alpha.txt": ("CSP: Alphatown\nPublished: May 2021\nYear of death: 2019\n", [
        ("1", "Alphashire Police should share information with partner agencies about repeat victims.",
         "Alphashire Police"),
        ("2", "Housing providers should offer safe temporary accommodation to people fleeing abuse.",
         "Alphatown Homes"),
    ]),
    "beta.txt": ("CSP: Betaville\nPublished: June 2022\nYear of death: 2020\n", [
        ("1", "Police should share information with partner agencies when a victim is at high risk.",
         "Betashire Police"),
        ("2", "GP practices should deliver domestic abuse training to reception staff.", "Betaville GP Federation"),
    ]),
    "gamma.txt": ("CSP: Gammaford\nPublished: March 2023\nYear of death: 2021\n", [
        ("1", "GP practices should ensure reception staff receive domestic abuse training.", "Gammaford GP practices"),
        ("2", "The hospital should audit its discharge procedures.", "Gammaford Hospital NHS Trust"),
    ]),
}


def write_pages(folder: Path, pages: dict[str, tuple[str, list[tuple[str, str, str]]]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (metadata, rows) in pages.items():
        table = "".join(f"| {n} | {text} | {to} |\n" for n, text, to in rows)
        (folder / name).write_text(metadata + HEADER + table, encoding="utf-8")


def review(name: str) -> str:
    return str(review_iri(name))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("corpus")
    write_pages(folder, PAGES)
    store = Store()
    ingest(store, [folder])
    analyse(store)
    return store


def linked_pairs(store: Store) -> set[frozenset[str]]:
    rows = store.query("""PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
        SELECT ?link ?r WHERE { ?link a dhr:ReviewLink ; dhr:linkedReview ?r }""").rows()
    by_link: dict[str, set[str]] = {}
    for link, r in rows:
        by_link.setdefault(str(link), set()).add(str(r))
    return {frozenset(v) for v in by_link.values()}


def test_reviews_sharing_failures_are_linked_and_others_are_not(corpus: Store) -> None:
    assert linked_pairs(corpus) == {
        frozenset({review("alpha.txt"), review("beta.txt")}),
        frozenset({review("beta.txt"), review("gamma.txt")}),
    }


def test_a_link_explains_itself_with_evidence_on_both_sides(corpus: Store) -> None:
    rows = corpus.named("link-evidence", review=review("alpha.txt"), linked=review("beta.txt")).to_dicts()
    sides = {r["side"] for r in rows if r["theme"] == "Information sharing" and r.get("agencyType") == "Police"}
    assert sides == {review("alpha.txt"), review("beta.txt")}
    texts = {r["text"] for r in rows if r.get("text")}
    assert any(t.startswith("Alphashire Police should share information") for t in texts)
    assert any(t.startswith("Police should share information") for t in texts)


def test_every_link_is_symmetric_has_evidence_and_never_links_a_review_to_itself(corpus: Store) -> None:
    ask = corpus.query("""PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
        ASK {
          { ?a dhr:sharesFailuresWith ?b FILTER NOT EXISTS { ?b dhr:sharesFailuresWith ?a } }
          UNION { ?a dhr:sharesFailuresWith ?a }
          UNION { ?link a dhr:ReviewLink FILTER NOT EXISTS { ?link dhr:sharedFailure ?s } }
          UNION { ?link dhr:linkedReview ?side ; dhr:sharedFailure ?s .
                  FILTER NOT EXISTS { ?link dhr:evidenceFailure ?f . ?side dhr:failure ?f .
                                      ?s dhr:failureTheme ?theme . ?f dhr:failureTheme ?theme } }
        }""")
    assert ask.boolean is False


def test_linked_reviews_query_gives_score_and_shared_failures(corpus: Store) -> None:
    rows = corpus.named("linked-reviews", review=review("beta.txt")).to_dicts()
    assert {r["linked"] for r in rows} == {review("alpha.txt"), review("gamma.txt")}
    alpha = next(r for r in rows if r["linked"] == review("alpha.txt"))
    assert "Information sharing × Police" in str(alpha["sharedFailures"])
    assert float(alpha["score"]) >= 1.0  # type: ignore[arg-type]


def test_rare_failures_weigh_more_than_common_ones(corpus: Store) -> None:
    reviews = load_failures(corpus)
    links = compute_links(reviews, AnalysisSettings(link_threshold=0.0, top_k=10))
    beta_gamma = next(lk for lk in links if {lk.a, lk.b} == {review("beta.txt"), review("gamma.txt")})
    weights = {s.key: s.weight for s in beta_gamma.shared}
    assert weights[("T5", "A02")] > weights[("T5", None)]


def test_the_threshold_is_the_users_to_set(corpus: Store) -> None:
    reviews = load_failures(corpus)
    assert compute_links(reviews, AnalysisSettings(link_threshold=100.0)) == []
    assert len(compute_links(reviews, AnalysisSettings(link_threshold=0.0))) >= 2


def test_two_sources_of_one_review_are_not_linked_as_two_reviews(tmp_path: Path) -> None:
    # The same review as a text page and as an HTML page of another format, matched by CSP
    # and year of death: pooled as one review, so it is not linked to itself.
    write_pages(tmp_path / "pages", PAGES)
    rows = "".join(f"<tr><td>{n}</td><td>{t}</td><td>{to}</td></tr>" for n, t, to in PAGES["alpha.txt"][1])
    (tmp_path / "pages" / "alpha.html").write_text(
        "<html><body><p>CSP: Alphatown</p><p>Year of death: 2019</p><table>"
        f"<tr><th>#</th><th>Recommendation</th><th>Addressed to</th></tr>{rows}</table></body></html>")
    store = Store()
    ingest(store, [tmp_path / "pages"])
    assert store.stats()["review_matches"] == 1
    analyse(store)
    for pair in linked_pairs(store):
        assert pair != frozenset({review("alpha.txt"), review("alpha.html")})
    assert len(linked_pairs(store)) == 2


def test_repeated_recommendations_are_clustered_across_reviews(corpus: Store) -> None:
    rows = corpus.named("repeated-recommendations").to_dicts()
    # Both shared asks are found: police sharing information, and GP reception-staff training.
    assert len(rows) == 2
    assert all(r["reviews"] == 2 and r["recommendations"] == 2 for r in rows)
    training = next(r for r in rows if "reception staff" in str(r["representativeText"]))
    assert training["firstPublished"] == "2022-06" and training["lastPublished"] == "2023-03"
    assert set(str(training["agencies"]).split(" | ")) == {"Betaville GP Federation", "Gammaford GP practices"}
    sharing = next(r for r in rows if "share information" in str(r["representativeText"]))
    assert sharing["firstPublished"] == "2021-05"
    # A recommendation is never clustered with a different ask.
    assert not any("discharge" in str(r["representativeText"]) for r in rows)


def test_communities_and_agency_scores_are_stored_for_sparql(corpus: Store) -> None:
    communities = corpus.named("communities").to_dicts()
    assert sum(int(c["size"]) for c in communities) == 3  # type: ignore[arg-type]
    scores = corpus.named("agency-centrality").to_dicts()
    assert {s["name"] for s in scores} >= {"Alphashire Police", "Betaville GP Federation"}
    assert all(s["degree"] is not None for s in scores)
    central_first = [(-float(s["betweenness"]), -int(s["degree"])) for s in scores]  # type: ignore[arg-type]
    assert central_first == sorted(central_first)  # in the rank the analysis stored


def test_agencies_receiving_the_same_kind_of_recommendation_in_several_reviews(tmp_path: Path) -> None:
    share = "Alphashire Police should share information with partner agencies about repeat victims."
    write_pages(tmp_path, {
        "one.txt": ("CSP: Alphatown\nYear of death: 2019\n", [("1", share, "Alphashire Police"),
                                                               ("2", PAGES["alpha.txt"][1][1][1], "Alphatown Homes")]),
        "two.txt": ("CSP: Alphatown\nYear of death: 2020\n", [("1", share, "Alphashire Police")]),
    })
    store = Store()
    ingest(store, [tmp_path])
    rows = store.named("agencies-repeated-themes").to_dicts()
    # The police got an information-sharing recommendation in both reviews; the housing
    # provider got one in one review, which is not a repeat.
    assert [(r["agencyName"], r["themeCode"], r["reviews"]) for r in rows] == [("Alphashire Police", "T2", 2)]


def test_analysis_becomes_stale_when_sources_change(tmp_path: Path) -> None:
    write_pages(tmp_path / "pages", PAGES)
    store = Store()
    ingest(store, [tmp_path / "pages"])
    assert analysis_state(store) == "missing"
    analyse(store, AnalysisSettings())
    assert analysis_state(store) == "fresh"
    (tmp_path / "pages" / "gamma.txt").write_text(
        "CSP: Gammaford\nYear of death: 2021\n" + HEADER + "| 1 | Schools should teach healthy relationships. | Gammaford Schools |\n")
    ingest(store, [tmp_path / "pages"])
    assert analysis_state(store) == "stale"


def test_network_views_and_graphml_export(corpus: Store, tmp_path: Path) -> None:
    reviews = to_networkx(corpus, "review")
    assert reviews.number_of_nodes() == 3 and reviews.number_of_edges() == 2
    collapsed = to_networkx(corpus, "agency-recommendation", collapse=True)
    assert {d["kind"] for _, d in collapsed.nodes(data=True)} == {"agency", "theme"}
    police_only = to_networkx(corpus, "agency-recommendation", agency_type="A01")
    assert {d["label"] for _, d in police_only.nodes(data=True) if d["kind"] == "agency"} == {
        "Alphashire Police", "Betashire Police"}
    ego = to_networkx(corpus, "review-ego", review=review("beta.txt"))
    assert ego.has_edge(review("beta.txt"), review("alpha.txt"))
    path = tmp_path / "reviews.graphml"
    store_path = tmp_path / "store"
    disk = Store(store_path)
    write_pages(tmp_path / "pages", PAGES)
    ingest(disk, [tmp_path / "pages"])
    analyse(disk)
    del disk
    result = CliRunner().invoke(main, ["network", "review", "--graphml", str(path), "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(path).number_of_edges() == 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_near_duplicate_pairs_are_exactly_those_of_the_full_product(seed: int) -> None:
    # Template-like texts: a few words shared by nearly all of them, as in generated corpora.
    import random

    import numpy as np

    from graph.analysis.clusters import similar_pairs, vectorise

    rng = random.Random(seed)
    common = ["agency", "should", "ensure", "staff", "review", "training"]
    rare = [f"word{i}" for i in range(60)]
    texts = [" ".join(rng.sample(common, 4) + rng.sample(rare, rng.randint(0, 4))) for _ in range(300)]
    matrix = vectorise(texts)
    full = (matrix @ matrix.T).toarray()
    for threshold in (0.3, 0.5, 0.8):
        rows, cols = similar_pairs(matrix, threshold)
        expected = {(i, j) for i, j in zip(*np.nonzero(full >= threshold)) if i < j}
        assert set(zip(rows.tolist(), cols.tolist())) == expected


def test_failure_keys_read_from_iris_agree_with_the_graph(corpus: Store) -> None:
    from graph.model.iris import failure_key

    rows = corpus.query("""PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?failure ?theme ?type WHERE {
          ?review dhr:failure ?failure . ?failure dhr:failureTheme/skos:notation ?theme .
          OPTIONAL { ?failure dhr:failureAgencyType/skos:notation ?type } }""").rows()
    assert rows and all(failure_key(str(f)) == (theme, agency_type) for f, theme, agency_type in rows)


def test_reviews_read_from_recommendation_iris_agree_with_the_graph(corpus: Store) -> None:
    from graph.model.iris import recommendation_review

    rows = corpus.query("PREFIX dhr: <https://w3id.org/dhrkg/ontology#> "
                        "SELECT ?recommendation ?review WHERE { ?recommendation dhr:inReview ?review }").rows()
    assert rows and all(recommendation_review(str(rec)) == review for rec, review in rows)


def test_every_clustered_recommendation_is_a_near_duplicate_of_its_representative() -> None:
    # Generated reviews repeat templates that differ only in the body's name: groups of
    # connected near-duplicates chained those into clusters of unrelated asks.
    from graph.analysis.clusters import DEFAULT_THRESHOLD, RecommendationText, find_clusters, vectorise
    from graph.enrich import enrich
    from scripts.generate_corpus import generate

    texts = [RecommendationText(f"{record.source.path}#{i}", record.source.path, rec.text, None, ())
             for record in map(enrich, generate(150, seed=3)) for i, rec in enumerate(record.recommendations)]
    clusters = find_clusters(texts)
    assert len(clusters) > 10
    normal = sorted({" ".join(t.text.lower().split()) for t in texts})  # as find_clusters weighs words
    row = {text: i for i, text in enumerate(normal)}
    matrix = vectorise(normal)
    for cluster in clusters:
        members = [row[" ".join(m.text.lower().split())] for m in cluster.members]
        centre = matrix[row[" ".join(cluster.representative.text.lower().split())]]
        assert ((matrix[members] @ centre.T).toarray() >= DEFAULT_THRESHOLD - 1e-9).all()


# What link-evidence means, written plainly: the shared failure's theme (and agency type, if
# it has one) matches a failure each side the link cites, and that failure's recommendations
# or summary sentences are the evidence. Too slow for a store of any size, exact for a small one.
PLAIN_LINK_EVIDENCE = """
PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
SELECT ?review ?linked ?theme ?agencyType ?weight ?side ?recommendation ?text ?sentence WHERE {
  ?link dhr:linkedReview ?review, ?linked ; dhr:sharedFailure ?shared ; dhr:evidenceFailure ?failure .
  FILTER (?review != ?linked)
  ?side dhr:failure ?failure .
  ?shared dhr:failureTheme ?themeNode ; dhr:weight ?weight .
  ?failure dhr:failureTheme ?themeNode .
  ?themeNode skos:prefLabel ?theme .
  OPTIONAL { ?shared dhr:failureAgencyType ?type . ?type skos:prefLabel ?agencyType }
  OPTIONAL { ?failure dhr:failureAgencyType ?failureType }
  FILTER (!BOUND(?type) || ?type = ?failureType)
  { ?failure prov:wasDerivedFrom ?recommendation . ?recommendation schema:text ?text }
  UNION { ?failure dhr:evidence ?sentence }
}"""


def test_link_evidence_gives_exactly_what_a_link_means_for_every_link() -> None:
    from graph.enrich import enrich
    from graph.rdf.documents import document_triples
    from scripts.generate_corpus import generate

    store = Store()
    for record in generate(8, seed=3):  # a corpus whose links cite all three kinds of evidence
        store.replace_document(record.source.path, document_triples(enrich(record), record.source.path))
    analyse(store)
    plain = {}
    for row in store.query(PLAIN_LINK_EVIDENCE).rows():
        plain.setdefault((row[0], row[1]), []).append(row)
    assert len(plain) > 20
    for (a, b), expected in plain.items():
        rows = store.named("link-evidence", review=str(a), linked=str(b)).rows()
        assert sorted(rows, key=str) == sorted(expected, key=str), (a, b)
    every = [row for rows in plain.values() for row in rows]
    # By theme and agency type, by theme alone, and from summary sentences.
    assert any(r[3] is not None and r[6] for r in every) and any(r[3] is None and r[6] for r in every)
    assert any(r[8] for r in every)


def test_communities_do_not_depend_on_the_order_links_come_in() -> None:
    # Two triangles joined by a weak link, given in two orders and each way round.
    links = [("r1", "r2", 1.0), ("r2", "r3", 1.0), ("r1", "r3", 1.0), ("r4", "r5", 1.0), ("r5", "r6", 1.0),
             ("r4", "r6", 1.0), ("r3", "r4", 0.1)]
    found = communities(links, {})
    assert [c.members for c in found] == [("r1", "r2", "r3"), ("r4", "r5", "r6")]
    assert communities([(b, a, s) for a, b, s in reversed(links)], {}) == found
