"""The submission service: a web form that becomes a branch or pull request.

``app`` (Starlette) takes a submission, validates it with the content models, stores it
durably in the ``spool`` (SQLite) and answers; the ``publisher`` turns stored submissions
into a branch and commit on a ``forge`` (local git or GitHub). ``form`` describes the
form's fields from the models; ``pages`` adds the form pages to the site.
"""
