"""The emulator's SOQL evaluator: one query text → Salesforce's answer, over the org's records.

``engine.run`` parses with ``sfschema.soql`` (one parser, one tree), resolves names against the
calling user's describes (``objects``), filters (``where``), writes records (``select``) or
groups (``aggregate``), and ``paging`` hands the result out in batches behind query locators.
The routes are in ``sfschema.emulator.query``.
"""
