"""Moderation tools: the maintenance report, the "Cijfers" page and pull-request routing.

Everything here is pure except :mod:`wijknet.report.history`, which reads the git history
through a ``git`` subprocess; nothing here imports Pelican.
"""
