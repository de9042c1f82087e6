"""Publishing kit for bilingual Chinese CSR/ESG reports.

Each capability lives in a library module that knows nothing about MkDocs
(pure functions over text, data and HTML); the packages under
``csr_kit.mkdocs`` adapt those modules to MkDocs events (ARCHITECTURE.md).
"""

__version__ = "0.2.0"
