"""SOQL: one tree, a builder, a parser, a compiler, a schema checker and one ``literal()``."""
