from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class KpiConfig(Config):
    kpis = c.Type(str, default="data/kpis.yml")
    charts = c.Type(str, default="data/charts.yml")
    # A change against the previous period larger than this (in %) needs a note.
    change_threshold = c.Type((int, float), default=20)
    # Where the CSV and JSON downloads go in each language's site.
    downloads_dir = c.Type(str, default="downloads")
