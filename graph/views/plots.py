"""Static charts with matplotlib, for people who would rather look than read.

``dhrkg plot KIND --out chart.png`` (or ``.svg``): recommendations per agency type, themes
per year, and the theme × agency-type heatmap. The data comes from the named queries, so a
chart shows exactly what a user can query.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: files only

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from graph.errors import DhrkgError  # noqa: E402
from graph.model.labels import code_label  # noqa: E402
from graph.store.base import GraphStore  # noqa: E402
from graph.views import PLOTS  # noqa: E402
from graph.views.files import write_to  # noqa: E402


def plot(store: GraphStore, kind: str, out: Path) -> Path:
    """Draw one chart into ``out``; the format follows its extension (.png, .svg, .pdf).

    >>> from graph.store.embedded import Store
    >>> import tempfile, pathlib
    >>> path = plot(Store(), "agency-types", pathlib.Path(tempfile.mkdtemp()) / "types.svg")
    >>> path.read_text().startswith("<?xml")
    True
    """
    builders = {"agency-types": _agency_types, "themes-per-year": _themes_per_year,
                "theme-agency-heatmap": _heatmap}
    if kind not in builders:
        raise DhrkgError(f"unknown plot {kind!r}; plots: {', '.join(PLOTS)}")
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise DhrkgError(f"{out}: write charts as .png, .svg or .pdf")
    figure = builders[kind](store)
    try:
        write_to(out, lambda path: figure.savefig(path, dpi=150, bbox_inches="tight"))
    finally:
        plt.close(figure)
    return out


def _empty(figure: Figure, message: str) -> Figure:
    figure.text(0.5, 0.5, message, ha="center", va="center", color="#5b6475")
    return figure


def _agency_types(store: GraphStore) -> Figure:
    rows = store.named("recommendations-per-agency-type").to_dicts()
    figure, axes = plt.subplots(figsize=(8, 0.4 * max(len(rows), 4) + 1))
    if not rows:
        return _empty(figure, "No recommendations yet")
    rows.sort(key=lambda r: int(r["recommendations"]))  # type: ignore[arg-type]
    axes.barh([f"{r['code']} {r['label']}" for r in rows], [int(r["recommendations"]) for r in rows],  # type: ignore[arg-type]
              color="#4e79a7")
    axes.set_xlabel("Recommendations")
    axes.set_title("Recommendations per agency type")
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def _themes_per_year(store: GraphStore) -> Figure:
    rows = store.named("themes-per-year").to_dicts()
    figure, axes = plt.subplots(figsize=(10, 5))
    if not rows:
        return _empty(figure, "No recommendations yet")
    years = sorted({str(r["year"]) for r in rows})
    series: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        series[f"{r['themeCode']} {r['themeLabel']}"][str(r["year"])] = int(r["recommendations"])  # type: ignore[arg-type]
    bottom = [0] * len(years)
    for name in sorted(series, key=lambda n: int(n.split()[0][1:])):
        values = [series[name].get(y, 0) for y in years]
        axes.bar(years, values, bottom=bottom, label=name)
        bottom = [a + b for a, b in zip(bottom, values)]
    # A recommendation with two themes counts once under each: the bars count theme assignments
    # (68 for 35 recommendations in the bundled review), so the axis says so.
    axes.set_ylabel("Theme assignments (a recommendation counts once per theme)")
    axes.set_title("Theme assignments per year")
    axes.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def _heatmap(store: GraphStore) -> Figure:
    rows = store.named("theme-by-agency-type").to_dicts()
    figure, axes = plt.subplots(figsize=(11, 6))
    if not rows:
        return _empty(figure, "No recommendations yet")
    themes = sorted({str(r["themeCode"]) for r in rows}, key=lambda c: int(c[1:]))
    types = sorted({str(r["typeCode"]) for r in rows})
    grid = [[0] * len(types) for _ in themes]
    for r in rows:
        grid[themes.index(str(r["themeCode"]))][types.index(str(r["typeCode"]))] = int(r["recommendations"])  # type: ignore[arg-type]
    image = axes.imshow(grid, cmap="Blues", aspect="auto")
    axes.set_xticks(range(len(types)), [f"{code} {code_label(code)}" for code in types], rotation=40, ha="right",
                    rotation_mode="anchor")
    labels = {str(r["themeCode"]): str(r["themeLabel"]) for r in rows}
    axes.set_yticks(range(len(themes)), [f"{t} {labels[t]}" for t in themes])
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if value:
                axes.text(j, i, str(value), ha="center", va="center", fontsize=8,
                          color="white" if value > max(map(max, grid)) / 2 else "#1d2330")
    axes.set_title("Theme × agency type (recommendations)")
    figure.colorbar(image, ax=axes, shrink=0.8)
    return figure
