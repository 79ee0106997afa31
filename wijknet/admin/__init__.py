"""The moderators' desk: Decap CMS on the content repository (``admin/`` in the built site).

:mod:`wijknet.admin.config` makes Decap's configuration and the facts the desk's script
needs from the models, the rule table and the taxonomy; :mod:`wijknet.admin.pages` is the
provider that writes them with the desk's page.
"""
