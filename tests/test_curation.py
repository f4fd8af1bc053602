"""Curation with provenance: analysts' corrections win over the machine in the named queries,
survive re-ingest and re-linking, keep who, when and why, and are all-or-nothing per file.

The corpus is the three small linked reviews of test_links (Alpha and Beta share information
sharing × police; Beta and Gamma share training × primary care)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph import Store, ingest, recommendations
from graph.analysis.curated_eval import Resolution, evaluate_curated
from graph.analysis.pipeline import analyse, analysis_state
from graph.cli import main
from graph.ingestion.corpus_summary import summary_state
from graph.ingestion.curation import CurationError, curate, curate_text, export_corrections
from graph.model.iris import recommendation_iri, review_iri
from graph.model.terms import DHR
from graph.rdf.corrections import Curation
from graph.rdf.curated import corrected
from graph.store.curation import CURATION_GRAPH, load_curation
from graph.store.validation import validate
from tests.test_links import PAGES, write_pages

ALPHA, BETA, GAMMA = (str(review_iri(name)) for name in ("alpha.txt", "beta.txt", "gamma.txt"))
BETASHIRE_POLICE = "https://w3id.org/dhrkg/id/agency/betaville/betashire-police"
ONTOLOGY = "https://w3id.org/dhrkg/id/graph/ontology"
ALPHA_POLICE = str(recommendation_iri("alpha.txt", 1, PAGES["alpha.txt"][1][0][1]))  # T2.1, Alphashire Police
GAMMA_HOSPITAL = str(recommendation_iri("gamma.txt", 2, PAGES["gamma.txt"][1][1][1]))  # T5.3 T6.1
HEADER = "target,field,action,value,curator,note\n"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    write_pages(folder, PAGES)
    return folder


@pytest.fixture
def corpus(pages: Path) -> Store:
    store = Store()
    ingest(store, [pages])
    analyse(store)
    return store


def record(store: Store, *rows: str) -> None:
    curate_text(store, HEADER + "".join(row + "\n" for row in rows))


def themes(store: Store, review: str) -> dict[str, tuple[str, ...]]:
    """Each recommendation's theme codes, first first, as the Python API (and the views) read them."""
    return {r.iri: r.themes for r in recommendations(store, review)}


def per_theme(store: Store) -> dict[str, int]:
    return {str(r["code"]): int(str(r["recommendations"])) for r in store.named("recommendations-per-theme").to_dicts()}


def linked(store: Store, review: str) -> dict[str, str]:
    return {str(r["linked"]): str(r["sharedFailures"]) for r in store.named("linked-reviews", review=review).to_dicts()}


def test_a_curated_theme_changes_recommendations_per_theme_and_the_summary_is_recounted(corpus: Store) -> None:
    before = per_theme(corpus)
    record(corpus, f"{ALPHA_POLICE},theme,remove,T2,Analyst A,The ask is training",
           f"{ALPHA_POLICE},theme,add,T5.1,Analyst A,The ask is training")
    after = per_theme(corpus)
    assert (before["T2"], after["T2"]) == (2, 1)
    assert (before["T5"], after["T5"]) == (3, 4)
    assert summary_state(corpus) == "current"  # recounted: the tallies say the same as the documents
    assert themes(corpus, ALPHA)[ALPHA_POLICE] == ("T5.1",)


def test_corrections_change_the_links_their_failures_and_evidence_after_linking(corpus: Store) -> None:
    assert set(linked(corpus, ALPHA)) == {BETA}
    record(corpus, f"{ALPHA_POLICE},theme,remove,T2,Analyst A,",
           f"{ALPHA_POLICE},theme,add,T5.1,Analyst A,",
           f"{ALPHA_POLICE},agency,add,Betaville GP Federation,Analyst A,The GPs were asked too")
    assert analysis_state(corpus) == "stale"
    analyse(corpus)
    assert set(linked(corpus, ALPHA)) == {BETA, GAMMA}
    assert "Information sharing" not in linked(corpus, ALPHA)[BETA]
    assert "Training & workforce × Health – primary care" in linked(corpus, ALPHA)[GAMMA]
    failures = {(r["theme"], r.get("agencyType")) for r in corpus.named("failures-of-review", review=ALPHA).to_dicts()}
    assert ("Information sharing", "Police") not in failures
    assert {("Training & workforce", "Police"), ("Training & workforce", "Health – primary care")} <= failures
    evidence = corpus.named("link-evidence", review=ALPHA, linked=GAMMA).to_dicts()
    assert ALPHA_POLICE in {str(r.get("recommendation")) for r in evidence if r["side"] == ALPHA}


def test_corrections_survive_reading_the_document_again(corpus: Store, pages: Path) -> None:
    record(corpus, f"{ALPHA_POLICE},theme,add,T9.1,Analyst A,")
    corpus.remove_document("alpha.txt")
    assert not corpus.query("ASK { ?review a dhr:Review }",
                            bindings={ox.Variable("review"): ox.NamedNode(ALPHA)}).boolean
    ingest(corpus, [pages])  # read afresh: the machine's triples, corrected as they are written
    assert themes(corpus, ALPHA)[ALPHA_POLICE] == ("T2.1", "T9.1")
    assert "T9" in {str(r["code"]) for r in corpus.named("recommendations-per-theme").to_dicts()
                    if int(str(r["recommendations"]))}


def test_corrections_survive_dhrkg_build_running_again(pages: Path, tmp_path: Path) -> None:
    store, runner = str(tmp_path / "store"), CliRunner()
    assert runner.invoke(main, ["build", str(pages), "--store", store]).exit_code == 0
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(HEADER + f"{ALPHA_POLICE},theme,add,T9.1,Analyst A,The victim was 81\n", encoding="utf-8")
    result = runner.invoke(main, ["curate", str(fixes), "--store", store])
    assert result.exit_code == 0, result.output
    assert "1 correction(s) recorded" in result.output and "stale" in result.output
    rebuilt = runner.invoke(main, ["build", str(pages), "--store", store])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "analysed 3 review(s)" in rebuilt.output  # the corrections outdated the links: build relinked
    rows = runner.invoke(main, ["query", "--named", "recommendations-of-review", "-p", f"review={ALPHA}",
                                "--format", "csv", "--store", store])
    assert "T9.1" in rows.output


def test_a_bad_row_is_reported_by_line_and_nothing_is_recorded(corpus: Store) -> None:
    before = len(corpus)
    with pytest.raises(CurationError) as failed:
        record(corpus, f"{ALPHA_POLICE},theme,add,T5.1,Analyst A,",
                       "recommendation/nothing-1-00,theme,add,T5.1,Analyst A,",
                       f"{ALPHA_POLICE},theme,add,T99,Analyst A,",
                       f"{ALPHA_POLICE},agency,add,agency/no-such-body,Analyst A,",
                       "Nobody Printed This,addressee,add,Betaville GP Federation,Analyst A,",
                       f"{ALPHA_POLICE},colour,add,red,,")
    assert failed.value.problems == [
        "line 3: no recommendation recommendation/nothing-1-00 in this graph",
        "line 4: unknown theme code 'T99' (a code of the theme scheme, such as T9.1 or T4)",
        "line 5: no agency 'https://w3id.org/dhrkg/id/agency/no-such-body' in this graph; closest: "
        + failed.value.problems[2].split("closest: ")[1],
        "line 6: no addressee printed as 'Nobody Printed This' in this graph (the words must be exactly as printed)",
        "line 7: unknown field 'colour' (use one of theme, agency, agency-type, addressee, same-as)",
        "line 7: no curator: say who made the correction",
    ]
    assert len(corpus) == before and not corpus.has_graph(str(CURATION_GRAPH))


def test_rows_that_only_the_corrections_together_break_are_refused(corpus: Store) -> None:
    with pytest.raises(CurationError, match="line 2: contradicts line 1|line 3: contradicts line 2"):
        record(corpus, f"{ALPHA_POLICE},theme,add,T5.1,Analyst A,", f"{ALPHA_POLICE},theme,remove,T5.1,Analyst B,")
    with pytest.raises(CurationError, match=r"would carry 4 themes \(T5.3, T6.1, T1.1, T9.1\)"):
        record(corpus, f"{GAMMA_HOSPITAL},theme,add,T1.1,Analyst A,", f"{GAMMA_HOSPITAL},theme,add,T9.1,Analyst A,")
    record(corpus, "Alphashire Police,same-as,add,Betashire Police,Analyst A,")
    with pytest.raises(CurationError, match="circle of merges"):
        record(corpus, "Betashire Police,same-as,add,Alphashire Police,Analyst A,")


def test_a_later_correction_supersedes_an_earlier_one_and_recording_it_again_revives_it(corpus: Store) -> None:
    record(corpus, f"{ALPHA_POLICE},theme,add,T9.1,Analyst A,")
    record(corpus, f"{ALPHA_POLICE},theme,remove,T9.1,Analyst B,Not an older victim")
    assert themes(corpus, ALPHA)[ALPHA_POLICE] == ("T2.1",)
    done = curate_text(corpus, HEADER + f"{ALPHA_POLICE},theme,add,T9.1,Analyst A,\n")
    assert len(done.recorded) == 1 and themes(corpus, ALPHA)[ALPHA_POLICE] == ("T2.1", "T9.1")
    again = curate_text(corpus, HEADER + f"{ALPHA_POLICE},theme,add,T9.1,Analyst A,\n")
    assert (again.recorded, again.unchanged, again.graphs) == ([], 1, [])  # the same row twice is one correction


def test_corrections_keep_who_when_and_why_and_the_machine_beside_them(corpus: Store) -> None:
    record(corpus, f"{ALPHA_POLICE},theme,remove,T2,Analyst A,The ask is training",
           f"{ALPHA_POLICE},theme,add,T5.1,Analyst A,The ask is training")
    rows = corpus.query("""SELECT ?code ?field ?curator ?note ?at WHERE {
        ?rec dhr:themeAssignment ?a . ?a dhr:assignedTheme/skos:notation ?code ; dhr:correction ?c .
        ?c dhr:correctionField ?field ; prov:wasAttributedTo/rdfs:label ?curator ; dhr:correctionNote ?note ;
           prov:generatedAtTime ?at }""").to_dicts()
    assert [(r["code"], r["field"], r["curator"], r["note"]) for r in rows] == [
        ("T5.1", "theme", "Analyst A", "The ask is training")]
    machine = corpus.query("""SELECT ?code WHERE { ?rec dhr:themeAssignment ?a . ?a dhr:rejectedBy ?c ;
        dhr:rejectedTheme/skos:notation ?code ; dhr:confidence ?confidence }""").to_dicts()
    assert [r["code"] for r in machine] == ["T2.1"]  # kept, with its confidence, but counted nowhere
    assert validate(corpus).conforms


def test_export_writes_back_what_curate_reads(corpus: Store, pages: Path, tmp_path: Path) -> None:
    record(corpus, f"{ALPHA_POLICE},theme,remove,T2,Analyst A,\"Training, not sharing\"",
           f"{ALPHA_POLICE},theme,add,T5.1,Analyst A,",
           "Betashire Police,agency-type,add,A21,Analyst B,",
           "Gammaford GP practices,addressee,add,Betaville GP Federation,Analyst B,")
    record(corpus, f"{ALPHA_POLICE},theme,add,T2.1,Analyst C,On reflection")
    exported = tmp_path / "corrections.csv"
    exported.write_text(export_corrections(corpus), encoding="utf-8")
    other = Store()
    ingest(other, [pages])
    curate(other, exported)
    assert export_corrections(other) == exported.read_text(encoding="utf-8")
    for query in ("recommendations-per-theme", "recommendations-per-agency", "recommendations-per-agency-type"):
        assert other.named(query).to_dicts() == corpus.named(query).to_dicts()
    assert themes(other, ALPHA) == themes(corpus, ALPHA)


def test_printed_words_resolved_elsewhere_and_merged_agencies_change_who_received_what(corpus: Store) -> None:
    def received() -> dict[str, int]:
        return {str(r["name"]): int(str(r["recommendations"]))
                for r in corpus.named("recommendations-per-agency").to_dicts()}

    assert received()["Betaville GP Federation"] == 1
    record(corpus, "Gammaford GP practices,addressee,add,Betaville GP Federation,Analyst A,One federation")
    assert received()["Betaville GP Federation"] == 2 and "Gammaford GP practices" not in received()
    record(corpus, "Alphashire Police,same-as,add,Betashire Police,Analyst A,One force")
    assert received()["Betashire Police"] == 2 and "Alphashire Police" not in received()
    of_agency = corpus.named("recommendations-of-agency", agency=BETASHIRE_POLICE).to_dicts()
    assert {str(r["review"]) for r in of_agency} == {ALPHA, BETA}
    assert corpus.query("ASK { ?alphashire owl:sameAs ?betashire }",
                        bindings={ox.Variable("betashire"): ox.NamedNode(BETASHIRE_POLICE)}).boolean


def test_an_agency_type_correction_reaches_every_query_and_survives_an_ontology_reload(tmp_path: Path,
                                                                                    pages: Path) -> None:
    store = Store(tmp_path / "store")
    ingest(store, [pages])
    police = "https://w3id.org/dhrkg/id/agency/northamptonshire-police"  # a gazetteer body: typed in the ontology

    def type_of() -> list[str]:
        return [str(r["code"]) for r in store.query("SELECT ?code WHERE { ?a org:classification/skos:notation ?code }",
                                                     bindings={ox.Variable("a"): ox.NamedNode(police)}).to_dicts()]

    assert type_of() == ["A01"]
    record(store, f"{police},agency-type,add,A21,Analyst A,")
    assert type_of() == ["A21"]
    version, _ = store.ontology_version()
    store.update(f'PREFIX dhr: <{DHR}> DELETE DATA {{ GRAPH <{ONTOLOGY}> {{ <{ONTOLOGY}> dhr:sha256 "{version}" }} }}')
    store.close()
    store = Store(tmp_path / "store")  # the ontology looks changed: it is loaded afresh, and corrected
    assert type_of() == ["A21"]
    store.close()


def test_corrections_are_written_in_one_transaction(corpus: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[str] = []
    original = corpus._write
    monkeypatch.setattr(corpus, "_write", lambda update: (writes.append(update), original(update))[1])
    monkeypatch.setattr("graph.ingestion.curation.summarise", lambda store: False)
    record(corpus, f"{ALPHA_POLICE},theme,add,T9.1,Analyst A,", "Alphashire Police,agency-type,add,A21,Analyst A,")
    assert len(writes) == 1
    assert str(CURATION_GRAPH) in writes[0] and "/source/" in writes[0]


def test_without_corrections_a_document_is_the_machine_s_and_applying_twice_is_applying_once(
        bundled_store: Store, corpus: Store) -> None:
    for store in (bundled_store, corpus):
        for document in store.documents().values():
            machine = store.graph_triples(document.iri)
            assert set(corrected(machine, Curation())) == set(machine), document.key
    record(corpus, f"{ALPHA_POLICE},theme,remove,T2,Analyst A,", f"{ALPHA_POLICE},theme,add,T5.1,Analyst A,",
           "Alphashire Police,agency-type,add,A21,Analyst A,")
    curation = load_curation(corpus)
    graph = corpus.graph_triples(corpus.documents()["alpha.txt"].iri)
    assert set(corrected(graph, curation)) == set(graph)


def test_the_machine_types_and_resolutions_stay_for_measuring_it(corpus: Store) -> None:
    record(corpus, "Alphashire Police,agency-type,add,A21,Analyst A,")
    rows = corpus.query("SELECT ?machine ?now WHERE { ?a dhr:machineClassification ?machine ; org:classification ?now }"
                        ).to_dicts()
    assert [(str(r["machine"])[-3:], str(r["now"])[-3:]) for r in rows] == [("A01", "A21")]


def test_the_shapes_hold_corrections_to_their_provenance(corpus: Store) -> None:
    record(corpus, f"{ALPHA_POLICE},theme,remove,T2,Analyst A,", "Gammaford GP practices,addressee,add,"
           "Betaville GP Federation,Analyst B,")
    assert validate(corpus).conforms
    corpus.update(f"""PREFIX dhr: <{DHR}> INSERT DATA {{ GRAPH <{CURATION_GRAPH}> {{
        <urn:unsigned> a dhr:Correction ; dhr:correctionField "colour" ; dhr:correctionAction "add" ;
            dhr:correctionValue <urn:red> ; dhr:correctionTarget <urn:x> ; dhr:correctionTargetLabel "x" }} }}""")
    problems = {v.message for v in validate(corpus).violations if v.focus == "urn:unsigned"}
    assert {"A correction says which curator made it.", "A correction says when it was recorded: the latest about "
            "the same thing wins.", "A correction is about one field: theme, agency, agency-type, addressee or "
            "same-as."} <= problems
    assert len(problems) == 4  # and it names its target once, by IRI or by printed words


def test_eval_curated_measures_the_machine_against_what_curators_said(corpus: Store) -> None:
    record(corpus, f"{ALPHA_POLICE},theme,remove,T2,Analyst A,", f"{ALPHA_POLICE},theme,add,T5.1,Analyst A,",
           f"{GAMMA_HOSPITAL},theme,add,T5.3,Analyst A,Right first time",
           "Alphashire Police,agency-type,add,A21,Analyst A,", "Betashire Police,agency-type,add,A01,Analyst A,",
           f"{ALPHA_POLICE},agency,add,Betaville GP Federation,Analyst A,")
    scores = evaluate_curated(corpus)
    assert (scores.themes.items, scores.themes.top1) == (2, 0.5)  # Alpha's first theme was wrong, Gamma's right
    assert scores.themes.theme("T2").precision == 0.0 and scores.themes.theme("T5").recall == 0.5
    assert (scores.themes.agencies, scores.themes.agency_type_accuracy) == (2, 0.5)
    assert scores.addressees == Resolution(1, 1.0, 0.5)  # the machine found one of the two addressees


def test_the_curate_command_records_exports_and_fails_on_a_bad_file(pages: Path, tmp_path: Path) -> None:
    store, runner = str(tmp_path / "store"), CliRunner()
    runner.invoke(main, ["ingest", str(pages), "--store", store])
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + f"{ALPHA_POLICE},theme,remove,T9.1,Analyst A,\n", encoding="utf-8")
    bad.write_text(HEADER + f"{ALPHA_POLICE},theme,add,T99,Analyst A,\n", encoding="utf-8")
    result = runner.invoke(main, ["curate", str(good), "--store", store])
    assert result.exit_code == 0
    assert "has no theme T9.1 now; recorded, no effect" in result.output  # a removal that removes nothing is noted
    exported = runner.invoke(main, ["curate", "--export", "--store", store])
    assert exported.output.splitlines()[0] == "target,field,action,value,curator,note,recorded_at"
    assert exported.output.splitlines()[1].startswith(f"{ALPHA_POLICE},theme,remove,T9.1,Analyst A,,")
    measured = runner.invoke(main, ["eval", "--curated", "--store", store])
    assert measured.exit_code == 0 and "addressees: no curator corrected the agencies" in measured.output
    failed = runner.invoke(main, ["curate", str(bad), "--store", store])
    assert failed.exit_code == 1
    assert f"error: {bad}: nothing recorded, 1 problem(s):\nline 2: unknown theme code 'T99'" in failed.output


def test_several_files_are_recorded_and_the_summary_counted_once_after_them(pages: Path, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    store, runner = str(tmp_path / "store"), CliRunner()
    runner.invoke(main, ["ingest", str(pages), "--store", store])
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(HEADER + f"{ALPHA_POLICE},theme,add,T9.1,Analyst A,\n", encoding="utf-8")
    second.write_text(HEADER + f"{GAMMA_HOSPITAL},theme,remove,T6,Analyst B,\n", encoding="utf-8")
    import graph.ingestion.corpus_summary as corpus_summary

    counts: list[int] = []
    original = corpus_summary.CorpusSummary.update
    monkeypatch.setattr(corpus_summary.CorpusSummary, "update",
                        lambda self, *args, **kwargs: (counts.append(1), original(self, *args, **kwargs))[1])
    result = runner.invoke(main, ["curate", str(first), str(second), "--store", store])
    assert result.exit_code == 0, result.output
    assert len(counts) == 1  # not once per file
    with Store(tmp_path / "store") as written:
        assert summary_state(written) == "current"
        assert {c.value for c in load_curation(written).corrections} == {"T9.1", "T6"}
