"""Network views and charts: self-contained, deterministic, escaped, and drawn in a real browser."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from graph import Store
from graph.model.iris import review_iri
from graph.views.html import drawing, layout, safe_json, standalone_html, write_view
from graph.views.networks import to_networkx
from graph.views.plots import PLOTS, plot
from tests.web.browser import Watched
from tests.web.conftest import HOSTILE, Served

VIEWS = [("agency-recommendation", {}), ("agency-recommendation", {"collapse": True}), ("review", {}),
         ("theme-agency", {}), ("review-ego", {"review": str(review_iri("beta.txt"))})]


@pytest.fixture(scope="module")
def store(disk_store: Path) -> Store:
    return Store.open_read_only(disk_store)


def test_a_view_is_one_self_contained_file_and_nothing_else_is_written(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out" / "view.html"
    out.parent.mkdir()
    write_view(store, "agency-recommendation", out)
    assert sorted(os.listdir(tmp_path)) == ["out"] and os.listdir(out.parent) == ["view.html"]
    text = out.read_text()
    assert 'src="http' not in text and 'href="http' not in text and "bootstrap" not in text.lower()
    assert "vis.Network" in text


def test_layouts_are_seeded(store: Store) -> None:
    graph = to_networkx(store, "agency-recommendation")
    assert layout(graph) == layout(graph)


def test_hostile_text_is_data_not_markup(store: Store) -> None:
    drawn = drawing(to_networkx(store, "agency-recommendation"), title=HOSTILE)
    page = standalone_html(drawn)
    assert HOSTILE not in page
    assert "<img src=x" not in page and "</script><script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the escaped heading
    assert safe_json({"a": "</script>"}) == '{"a": "\\u003c/script\\u003e"}'


@pytest.mark.parametrize("kind", PLOTS)
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_charts(store: Store, tmp_path: Path, kind: str, suffix: str) -> None:
    path = plot(store, kind, tmp_path / f"chart{suffix}")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data


def hover_first(watched: Watched, kind: str) -> str:
    """Hover the first node of a kind and return the tooltip's text."""
    page = watched.page
    node_id, x, y = page.evaluate(f"""() => {{
        const net = window.dhrkgNetwork;
        const ids = net.body.data.nodes.getIds().filter(id => net.body.data.nodes.get(id).kind === '{kind}');
        const id = ids[0];
        net.focus(id, {{ scale: 1.5, animation: false }});
        const p = net.canvasToDOM(net.getPosition(id));
        const box = document.getElementById('network').getBoundingClientRect();
        return [id, p.x + box.left, p.y + box.top];
    }}""")
    page.mouse.move(x + 1, y + 1)
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    return str(page.locator("div.vis-tooltip").inner_text())


@pytest.mark.parametrize(("kind", "options"), VIEWS, ids=[f"{k}{'-collapsed' if o.get('collapse') else ''}" for k, o in VIEWS])
def test_each_view_in_a_browser(store: Store, tmp_path: Path, watched: Watched, kind: str,
                                options: dict[str, Any]) -> None:
    out = tmp_path / f"{kind}.html"
    drawn = write_view(store, kind, out, **options)
    page = watched.page
    page.goto(out.as_uri())
    page.wait_for_selector("#network[data-ready=true]", timeout=30000)
    assert page.evaluate("window.dhrkgNetwork.body.data.nodes.length") == len(drawn.nodes)
    assert page.evaluate("window.dhrkgNetwork.body.data.edges.length") == len(drawn.edges)
    first = next(n for n in drawn.nodes if n["kind"] == ("agency" if kind != "review" else "review"))
    assert hover_first(watched, first["kind"]) != ""
    watched.screenshot(f"view-{kind}{'-collapsed' if options.get('collapse') else ''}")
    assert watched.console_errors == [] and watched.page_errors == []
    assert [u for u in watched.requests if not u.startswith(("file:", "data:"))] == []


def test_hostile_text_runs_nothing_in_tooltips_labels_or_heading(store: Store, tmp_path: Path, watched: Watched) -> None:
    out = tmp_path / "hostile.html"
    write_view(store, "agency-recommendation", out, csp="Exampleton")
    page = watched.page
    page.goto(out.as_uri())
    page.wait_for_selector("#network[data-ready=true]", timeout=30000)
    tooltip = hover_first(watched, "agency")
    assert "<img src=x onerror=alert(1)>" in tooltip  # shown as text
    hostile_title = tmp_path / "title.html"
    drawn = drawing(to_networkx(store, "theme-agency"), title=HOSTILE)
    hostile_title.write_text(standalone_html(drawn))
    page.goto(hostile_title.as_uri())
    page.wait_for_selector("#network[data-ready=true]", timeout=30000)
    assert HOSTILE.split(">")[0] in page.locator("h1").inner_text()
    assert watched.dialogs == [] and watched.page_errors == []


def test_network_page_of_the_web_app(server: Served, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server.url}/network/agency-recommendation?csp=Betaville")
    page.wait_for_selector("#network[data-ready=true]", timeout=30000)
    assert page.evaluate("window.dhrkgNetwork.body.data.nodes.length") > 0
    watched.screenshot("web-network")
    assert watched.console_errors == [] and watched.page_errors == []
    assert watched.external_requests((server.url,)) == []


def test_a_large_view_draws_in_the_browser(tmp_path: Path, watched: Watched) -> None:
    from scripts.bench_viz import synthetic_view

    graph = synthetic_view(5000, 20000)
    out = tmp_path / "large.html"
    out.write_text(standalone_html(drawing(graph, title="large")))
    page = watched.page
    page.goto(out.as_uri())
    page.wait_for_selector("#network[data-ready=true]", timeout=60000)
    assert page.evaluate("window.dhrkgNetwork.body.data.nodes.length") == 5000
    assert watched.page_errors == []
