from mkdocs.config import config_options as c

from ..data_files import ReportFile


class SiteConfig(ReportFile):
    # Every <img> needs alt text (screen readers, search engines, the PDF).
    require_alt = c.Type(bool, default=True)
    # Keep each language's search results in that language only.
    split_search = c.Type(bool, default=True)
    # Segment Traditional text for search through its Simplified form and teach the
    # segmenter the glossary's terms (Material's search uses jieba's Simplified dictionary).
    chinese_search = c.Type(bool, default=True)
    # Addresses (prefixes) of files from other sites a page may use, e.g.
    # https://partner.example.org/logos/ : each is downloaded when the site is built and
    # published as a copy in assets/external/; readers never load it from the other site.
    allow_external = c.ListOfItems(c.Type(str), default=[])
    # Where the downloaded copies are kept between builds.
    external_cache = c.Type(str, default=".cache/csr-external")
