"""Views: the graph drawn for people.

It owns the network views as networkx graphs (``networks``), their interactive drawing as
self-contained HTML (``html``) and the static charts (``plots``). The registries below are
the one list of views and of plots that both the command line and the web app read.
"""

VIEWS = ("agency-recommendation", "review", "theme-agency", "review-ego")
"""The network views, by name."""

PLOTS = ("agency-types", "themes-per-year", "theme-agency-heatmap")
"""The static charts, by name."""
