from mkdocs.config import config_options as c

from ..data_files import GlossaryFile

_MOVED = ("'{}' is replaced by 'source:' — write source: zh-Hant (pages in Traditional "
          "Chinese) or source: zh-Hans (pages in Simplified Chinese) under csr-convert")


class ConvertConfig(GlossaryFile):
    # The script the pages are written in; the other script's edition is generated.
    # It decides the i18n default language, the OpenCC configuration, the checks
    # and which data labels are required.
    source = c.Choice(["zh-Hant", "zh-Hans"], default="zh-Hant")
    # Region of the Traditional edition: Hong Kong (HK) or Taiwan (TW) wording and forms.
    region = c.Choice(["HK", "TW"], default="HK")
    # The kit's Hong Kong ⇄ mainland vocabulary (HK region only); the glossary overrides it.
    vocabulary = c.Type(bool, default=True)
    # Vocabulary domains (e.g. food-drink) and single entries (either form) to leave out.
    vocabulary_exclude_domains = c.ListOfItems(c.Type(str), default=[])
    vocabulary_exclude = c.ListOfItems(c.Type(str), default=[])
    # Names converted character by character only: no wording rule applies inside them.
    protected_names = c.ListOfItems(c.Type(str), default=[])
    # Also protect titles in 《》〈〉 and organisation names the pages use twice or more.
    detect_names = c.Type(bool, default=True)
    # Quotation marks as the generated edition's region writes them: “…” around Chinese
    # text becomes 「…」 in a Traditional edition, 「…」 becomes “…” in a Simplified one.
    regional_quotes = c.Type(bool, default=False)
    # Write the conversion review report (outside the readers' navigation).
    review = c.Type(bool, default=True)
    review_file = c.Type(str, default="conversion-review.html")
    # Review entries already checked by a person: hidden from the next report.
    reviewed = c.Type(str, default="data/conversion-reviewed.yml")
    # Characters of the other script in source pages are errors.
    lint_scripts = c.Type(bool, default=True)
    opencc = c.Deprecated(message=_MOVED, removed=True)
    language = c.Deprecated(message=_MOVED, removed=True)
