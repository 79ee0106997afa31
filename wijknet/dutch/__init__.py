"""Shared words and text rules of a Dutch site, below every provider: dates and month names,
moments in the city's time zone, and the Dutch text analysis (stemmer, stop words) that
search and matching both use."""
