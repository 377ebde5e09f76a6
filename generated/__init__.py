"""Generated model packages, one per org (``sfschema generate --out generated/<org>``)."""
