"""Ingest: files and folders into the store, one document at a time, whole or not at all.

It owns the pipeline that reads, enriches and writes each file (``pipeline``), the matching
of records of one review found in several sources (``matching``), the corpus summary
kept beside the documents for the whole-corpus reports (``corpus_summary``), implementation
status files (``status``), and analysts' corrections recorded from curation files or the web
form (``curation``, ``curation_rows``).
"""
