"""The catalogue as an Open Referral HSDS 3.0 dataset (``data/hsds/``): rows per entry
(:mod:`~wijknet.hsds.export`), the tabular datapackage (:mod:`~wijknet.hsds.tables`), the
static JSON laid out like the HSDS API (:mod:`~wijknet.hsds.api`) and the provider that
writes them (:mod:`~wijknet.hsds.provider`). What both directions share (the vendored
schemas, validation, ids, nesting) is :mod:`wijknet.hsds_format`."""
