"""The site pages provider: home, entries, facets, overview, agenda and static pages."""
