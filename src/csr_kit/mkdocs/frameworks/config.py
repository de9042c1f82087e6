from mkdocs.config import config_options as c

from ..data_files import FrameworkFiles, ReportFile


class FrameworksConfig(FrameworkFiles):
    # MkDocs' Config classes take the options of their first base class only.
    report = ReportFile.report
    # Frameworks whose tags are accepted and whose index can be generated.
    enabled = c.ListOfItems(c.Type(str), default=["gri", "hkex", "iso26000", "sdg"])
