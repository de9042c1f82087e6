from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GlossaryConfig(Config):
    glossary = c.Type(str, default="data/glossary.yml")
    # Show a term's English on its first use on each page.
    first_use = c.Type(bool, default=True)
