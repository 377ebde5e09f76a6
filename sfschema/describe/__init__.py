"""Org metadata: describe models, dependent picklists, snapshots, cache and fetcher."""
