"""sfschema: Salesforce schema toolkit."""
