"""Write (and execute) docs/notebooks/tour.ipynb, the worked tour of the Python API.

    python scripts/build_tour_notebook.py            # write and execute in place

The test suite executes the notebook again (tests/test_notebook.py), so it cannot rot.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).parents[1] / "docs" / "notebooks" / "tour.ipynb"

CELLS: list[tuple[str, str]] = [
    ("markdown", """# A tour of dhrkg from Python

dhrkg puts Domestic Homicide Reviews, the agencies they address, their recommendations and the
themes of what failed into one RDF graph. This notebook builds the graph from the bundled data,
queries it, draws a chart and a network, and finds reviews that failed in the same way."""),
    ("code", """import graph
from graph import Store, ingest, analyse, reviews, recommendations, linked_reviews, to_networkx
from graph.resources import data_dir

store = Store()                                  # in memory; Store("folder") keeps it on disk
report = ingest(store, [data_dir()])             # the seed summary page and the DHRD dataset
print(report.count("added"), "files added")
store.stats()"""),
    ("markdown", """## Query: named queries, typed results, DataFrames

Named queries ship as `.rq` files; parameters are bound, never pasted into the text."""),
    ("code", """store.named("recommendations-per-agency-type").to_dataframe()"""),
    ("code", """store.named("characteristic-shares").to_dataframe().query("about == 'case'").head(8)"""),
    ("code", """northampton = reviews(store, csp="Northampton")
[(r.identifier, r.year_of_death, r.recommendations) for r in northampton]"""),
    ("code", """seed = next(r for r in northampton if r.recommendations)
for rec in recommendations(store, seed.iri)[:5]:
    print(rec.number, rec.themes, [a.name for a in rec.agencies], "-", rec.text[:70])"""),
    ("markdown", """## A chart"""),
    ("code", """%matplotlib inline
import matplotlib.pyplot as plt
df = store.named("recommendations-per-agency-type").to_dataframe()
ax = df.sort_values("recommendations").plot.barh(x="label", y="recommendations", legend=False, figsize=(7, 4))
ax.set_xlabel("recommendations"); ax.set_ylabel(""); plt.tight_layout()"""),
    ("markdown", """## A network

Every view is a networkx graph; `graph.views.html.write_view` draws it as an offline HTML file."""),
    ("code", """import networkx as nx
g = to_networkx(store, "theme-agency")
centrality = nx.degree_centrality(g)
sorted(((round(v, 2), g.nodes[n]["label"]) for n, v in centrality.items()), reverse=True)[:5]"""),
    ("markdown", """## Reviews that failed in the same way

The bundled data holds a single review with recommendations, so to show linking this cell adds
a few **synthetic** reviews from the benchmark generator (invented text for testing, never part
of the bundled graph)."""),
    ("code", """import sys; sys.path.insert(0, str(data_dir().parent / "scripts"))
from generate_corpus import generate
from graph.enrich import enrich
from graph.rdf.documents import document_triples
for record in generate(12, seed=3):
    store.replace_document(record.source.path, document_triples(enrich(record), record.source.path))
report = analyse(store)
print(report.links, "links")
linked = [r for r in reviews(store) if r.recommendations]
best = max(linked, key=lambda r: max((link.score for link in linked_reviews(store, r.iri)), default=0.0))
linked_reviews(store, best.iri)[:3]"""),
]


def build() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(text) if kind == "markdown" else nbformat.v4.new_code_cell(text)
                      for kind, text in CELLS]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def execute(notebook: nbformat.NotebookNode, timeout: int = 600) -> nbformat.NotebookNode:
    NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return notebook


if __name__ == "__main__":
    NOTEBOOK.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(execute(build()), NOTEBOOK)
    print(f"wrote {NOTEBOOK}")
