"""Importers: turn open data lists into entry files.

Each importer reads a source file plus a mapping table in ``taxonomy/`` (data, not code),
builds entries through the content models and writes them with the content writer, keeping
a manifest so a re-run is idempotent and hand edits are never overwritten.
"""
