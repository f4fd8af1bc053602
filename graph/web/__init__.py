"""The web app: the SPARQL 1.1 endpoint and the server-rendered pages over one store.

It owns the app itself (``app``), the typed context every route works with (``context``),
the routes by kind (``sparql``, ``pages``, ``query_page``, ``network_pages``, ``entities``),
how user queries run off the event loop with a deadline (``executor``), content negotiation
(``negotiation``), the one renderer of errors (``errors``), the templates (``templating``)
and the server's settings (``settings``).
"""
