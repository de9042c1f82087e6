"""MkDocs plugins: thin adapters from MkDocs events to the library modules."""
