from mkdocs.config import config_options as c

from ..data_files import KpiFiles


class KpiConfig(KpiFiles):
    # A change against the previous period larger than this (in %) needs a note.
    change_threshold = c.Type((int, float), default=20)
    # Where the CSV and JSON downloads go in each language's site.
    downloads_dir = c.Type(str, default="downloads")
