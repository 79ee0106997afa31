"""The build engine: the page model, the hooks and the provider registry, the URL scheme,
templates and rendering in named stages, the worker processes and the one build cache.

Providers (``wijknet.site``, ``search``, ``exports``, ``matching``, ``report``,
``submissions``) build on it; it imports none of them.
"""
