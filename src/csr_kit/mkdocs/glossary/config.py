from mkdocs.config import config_options as c

from ..data_files import GlossaryFile


class GlossaryConfig(GlossaryFile):
    # Show a term's English on its first use on each page.
    first_use = c.Type(bool, default=True)
