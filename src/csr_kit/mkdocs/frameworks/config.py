from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class FrameworksConfig(Config):
    # Frameworks whose tags are accepted and whose index can be generated.
    enabled = c.ListOfItems(c.Type(str), default=["gri", "hkex", "iso26000", "sdg"])
    definitions = c.Type(str, default="data/frameworks")
    omissions = c.Type(str, default="data/omissions.yml")
    report = c.Type(str, default="data/report.yml")
