"""The network views as a person sees them at 1280×800: the whole graph in the window, no two
labels on top of each other, one shape per kind, colours that tell agency types from themes,
and a reason whenever there is nothing to draw."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from graph import Store, ingest, recommendations, reviews
from graph.cli import main
from graph.model.iris import review_iri
from graph.store.known_names import UnknownName
from graph.views.html import view_drawing, write_view
from graph.views.networks import to_networkx
from graph.views.palette import AGENCY_FAMILIES, SHAPES, THEME_COLOURS
from graph.web.app import create_app
from tests.conftest import SEED
from tests.web.browser import Watched
from tests.web.conftest import Served

SEED_REVIEW = str(review_iri("seed/" + SEED.name))  # as `dhrkg build` keys it: relative to data/
SERVED_SEED = str(review_iri(SEED.name))  # the web tests' store ingests the seed's own folder
WINDOW = {"width": 1280, "height": 800}
OVERLAP = 3  # pixels two labels may share (anti-aliasing, the letters' white stroke)


def lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB hex colour (D65)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x, y, z = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
               (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def distance(a: str, b: str) -> float:
    return float(sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5)


def test_agency_and_theme_palettes_share_no_colour_and_stay_apart() -> None:
    agencies = [colour for _, colour, _ in AGENCY_FAMILIES.values()]
    themes = list(THEME_COLOURS.values())
    assert not {c.lower() for c in agencies} & {c.lower() for c in themes}
    assert min(distance(a, t) for a in agencies for t in themes) > 18
    assert min(distance(a, b) for a, b in itertools.combinations(themes, 2)) > 18
    assert min(distance(a, b) for a, b in itertools.combinations(agencies, 2)) > 18
    covered = {code for _, _, codes in AGENCY_FAMILIES.values() for code in codes}
    assert covered == {f"A{n:02d}" for n in range(23)}


def test_one_shape_per_kind_and_labels_that_say_whose(bundled_store: Store) -> None:
    drawn = view_drawing(bundled_store, "agency-recommendation")
    shapes = {node["kind"]: node["shape"] for node in drawn.nodes}
    assert shapes == {kind: SHAPES[kind] for kind in ("review", "agency", "recommendation")}
    labels = {node["label"] for node in drawn.nodes if node["kind"] == "recommendation"}
    assert "Northampton 2016 · 10" in labels and "Northampton 2016 · 2" in labels
    tooltips = [node["title"] for node in drawn.nodes if node["kind"] == "recommendation"]
    assert all(len(title) > 30 for title in tooltips)  # the full text
    agency_sizes = {node["label"]: node["size"] for node in drawn.nodes if node["kind"] == "agency"}
    assert agency_sizes["Northampton Partnership Homes"] > agency_sizes["Northamptonshire Police"]


def test_the_ego_view_is_rings_with_themes_as_colour(bundled_store: Store) -> None:
    graph = to_networkx(bundled_store, "review-ego", review=SEED_REVIEW)
    assert {data["kind"] for _, data in graph.nodes(data=True)} == {"review", "recommendation", "agency"}
    rings = {data["kind"]: data["ring"] for _, data in graph.nodes(data=True) if data["kind"] != "review"}
    assert rings == {"recommendation": 1, "agency": 2} and graph.nodes[SEED_REVIEW]["ring"] == 0
    drawn = view_drawing(bundled_store, "review-ego", review=SEED_REVIEW)
    centre = next(n for n in drawn.nodes if n["id"] == SEED_REVIEW)
    radius = {n["kind"]: (n["x"] - centre["x"]) ** 2 + (n["y"] - centre["y"]) ** 2
              for n in drawn.nodes if n["kind"] != "review"}
    assert radius["recommendation"] < radius["agency"]
    assert {n["color"] for n in drawn.nodes if n["kind"] == "recommendation"} <= set(THEME_COLOURS.values())


def test_the_short_name_of_a_review_works_for_the_ego_view(bundled_store: Store) -> None:
    graph = to_networkx(bundled_store, "review-ego", review="review/" + SEED_REVIEW.rsplit("/", 1)[1])
    assert graph.number_of_nodes() > 40


@pytest.mark.parametrize(("call", "closest"), [
    (lambda s: to_networkx(s, "review-ego", review="review/dhrd-INC-293"), "review/dhrd-INC-0293"),
    (lambda s: to_networkx(s, "agency-recommendation", csp="Northamton"), "Northampton"),
    (lambda s: to_networkx(s, "theme-agency", region="East Midland"), "East Midlands"),
    (lambda s: s.named("reviews-of-csp", csp="Northamton"), "Northampton"),
    (lambda s: s.named("recommendations-of-agency", agency="agency/northampton-partnership-home"),
     "agency/northampton-partnership-homes"),
    (lambda s: reviews(s, csp="Kentt"), "Kent"),
    (lambda s: recommendations(s, "review/dhrd-INC-02933"), "review/dhrd-INC-0293"),
])
def test_a_name_the_graph_lacks_is_an_error_with_the_closest_names(bundled_store: Store, call: Any,
                                                                   closest: str) -> None:
    with pytest.raises(UnknownName, match="closest: ") as caught:
        call(bundled_store)
    assert closest in caught.value.message.split("closest: ")[1].split(", ")[0]


def test_a_view_with_nothing_to_draw_says_why(bundled_store: Store, seed_store: Store) -> None:
    kent = view_drawing(bundled_store, "agency-recommendation", csp="Kent")
    assert kent.nodes == [] and kent.empty is not None
    assert "no reviews with recommendations match the filters (csp Kent): 28 review(s) match" in kent.empty
    assert "not been computed yet" in str(view_drawing(seed_store, "review").empty)
    assert "no review shares enough failures" in str(view_drawing(bundled_store, "review").empty)


def test_the_cli_says_why_and_fails_on_an_unknown_name(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert CliRunner().invoke(main, ["ingest", str(SEED.parent), "--store", str(store)]).exit_code == 0
    empty = CliRunner().invoke(main, ["viz", "review", "--out", str(tmp_path / "r.html"), "--store", str(store)])
    assert empty.exit_code == 0 and "nothing to draw: links between reviews have not been computed yet" in empty.output
    assert "Nothing to draw: links between reviews" in (tmp_path / "r.html").read_text()
    unknown = CliRunner().invoke(main, ["viz", "review-ego", "--review", "review/bogus", "--out",
                                        str(tmp_path / "e.html"), "--store", str(store)])
    assert unknown.exit_code == 1 and "no review 'review/bogus' in this graph; closest: " in unknown.output
    typo = CliRunner().invoke(main, ["query", "--named", "reviews-of-csp", "--param", "csp=Northamton",
                                     "--store", str(store)])
    assert typo.exit_code == 1 and "no CSP 'Northamton' in this graph; closest: Northampton" in typo.output
    links = CliRunner().invoke(main, ["query", "--named", "linked-reviews", "--param", f"review={SERVED_SEED}",
                                      "--store", str(store)])
    assert links.exit_code == 0 and "no rows: links between reviews have not been computed yet" in links.output


def test_the_web_page_says_why_and_keeps_the_form_for_a_typo(bundled_store: Store) -> None:
    with TestClient(create_app(bundled_store)) as client:
        client.headers["Accept"] = "text/html"
        empty = client.get("/network/agency-recommendation", params={"csp": "Kent"})
        assert empty.status_code == 200 and "Nothing to draw: no reviews with recommendations match" in empty.text
        typo = client.get("/network/agency-recommendation", params={"csp": "Kentt"})
        assert typo.status_code == 404 and "closest: Kent" in typo.text and 'name="csp" value="Kentt"' in typo.text
        data = client.get("/network/review.json").json()
        assert data["nodes"] == [] and "no review shares enough failures" in data["empty"]
        assert client.get("/network/review-ego", params={"review": "review/bogus"}).status_code == 404


def test_charts_say_what_they_count(bundled_store: Store, tmp_path: Path) -> None:
    from graph.views.plots import plot

    themes = plot(bundled_store, "themes-per-year", tmp_path / "themes.svg").read_text()
    assert "Theme assignments" in themes and ">Recommendations<" not in themes
    heatmap = plot(bundled_store, "theme-agency-heatmap", tmp_path / "heatmap.svg").read_text()
    assert "Police" in heatmap and "Housing" in heatmap


# ---------------------------------------------------------------- in a browser, at 1280×800

GEOMETRY = """() => {
  const net = window.dhrkgNetwork;
  const frame = document.getElementById('network').getBoundingClientRect();
  const toPage = (x, y) => { const p = net.canvasToDOM({x, y}); return [p.x + frame.left, p.y + frame.top]; };
  return net.body.data.nodes.getIds().map(id => {
    const node = net.body.nodes[id];
    const box = net.getBoundingBox(id);
    const [left, top] = toPage(box.left, box.top), [right, bottom] = toPage(box.right, box.bottom);
    const size = node.labelModule.size;
    const [lx, ly] = toPage(size.left, size.top), [rx, ry] = toPage(size.left + size.width, size.top + size.height);
    return {id, label: node.options.label || '', box: [left, top, right, bottom], text: [lx, ly, rx, ry]};
  });
}"""


def check_geometry(watched: Watched, name: str) -> list[dict[str, Any]]:
    """Every node (with its label) inside the window, no two labels overlapping; a screenshot."""
    page = watched.page
    page.wait_for_selector("#network[data-ready=true]", timeout=30000)
    nodes: list[dict[str, Any]] = page.evaluate(GEOMETRY)
    watched.screenshot(name)
    outside = [(n["label"], [round(v) for v in n["box"]]) for n in nodes
               if n["box"][0] < -1 or n["box"][1] < -1 or n["box"][2] > WINDOW["width"] + 1
               or n["box"][3] > WINDOW["height"] + 1]
    assert outside == [], f"{name}: outside the window: {outside}"
    clashes = []
    for a, b in itertools.combinations([n for n in nodes if n["label"]], 2):
        wide = min(a["text"][2], b["text"][2]) - max(a["text"][0], b["text"][0])
        tall = min(a["text"][3], b["text"][3]) - max(a["text"][1], b["text"][1])
        if wide > OVERLAP and tall > OVERLAP:
            clashes.append((a["label"], b["label"], round(wide), round(tall)))
    assert clashes == [], f"{name}: overlapping labels: {clashes}"
    return nodes


STANDALONE = [("agency-recommendation", {}), ("agency-recommendation", {"collapse": True}),
              ("theme-agency", {}), ("review-ego", {"review": SEED_REVIEW})]


@pytest.mark.parametrize(("kind", "options"), STANDALONE,
                         ids=[k + ("-collapsed" if o.get("collapse") else "") for k, o in STANDALONE])
def test_each_bundled_view_fits_the_window_without_overlapping_labels(
        bundled_store: Store, tmp_path: Path, watched: Watched, kind: str, options: dict[str, Any]) -> None:
    out = tmp_path / f"{kind}.html"
    drawn = write_view(bundled_store, kind, out, **options)
    watched.page.set_viewport_size(WINDOW)
    watched.page.goto(out.as_uri())
    nodes = check_geometry(watched, f"fit-{kind}{'-collapsed' if options.get('collapse') else ''}")
    assert len(nodes) == len(drawn.nodes)
    assert watched.page_errors == [] and watched.console_errors == []


@pytest.mark.parametrize("path", [
    "/network/agency-recommendation", "/network/agency-recommendation?collapse=1", "/network/review",
    "/network/theme-agency", f"/network/review-ego?review={SERVED_SEED}",
])
def test_each_web_view_fits_the_window_without_overlapping_labels(server: Served, watched: Watched, path: str) -> None:
    watched.page.set_viewport_size(WINDOW)
    watched.page.goto(server.url + path)
    name = "fit-web-" + path.split("/")[-1].split("?")[0] + ("-collapsed" if "collapse" in path else "")
    assert len(check_geometry(watched, name)) > 0
    assert watched.page.locator("details.legend").get_attribute("open") is None  # folded: the graph comes first
    assert watched.page_errors == [] and watched.console_errors == []


def test_the_legend_opens_over_the_graph_without_moving_it(server: Served, watched: Watched) -> None:
    page = watched.page
    page.set_viewport_size(WINDOW)
    page.goto(server.url + "/network/theme-agency")
    page.wait_for_selector("#network[data-ready=true]", timeout=30000)
    before = page.locator("#network").bounding_box()
    page.locator("details.legend summary").click()
    assert page.locator("details.legend li").count() > 3
    assert page.locator("#network").bounding_box() == before


def test_an_empty_view_shows_its_reason_in_the_browser(tmp_path: Path, watched: Watched) -> None:
    store = Store()
    ingest(store, [SEED.parent])
    out = tmp_path / "review.html"
    write_view(store, "review", out)
    watched.page.goto(out.as_uri())
    watched.page.wait_for_selector("#network[data-ready=true]", timeout=30000)
    assert "links between reviews have not been computed yet" in watched.page.locator(".empty").inner_text()
