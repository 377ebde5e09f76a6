"""pytest plugin for users of sfschema (fixtures over the offline org emulator)."""
