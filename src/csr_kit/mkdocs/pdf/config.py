from mkdocs.config import config_options as c

from ..data_files import ReportFile


class PdfConfig(ReportFile):
    # Make the PDF editions (the environment variable CSR_KIT_PDF=off turns this off,
    # as `csr-kit serve` does: the PDF is for the release, not for every edit).
    enabled = c.Type(bool, default=True)
    # Also make them during live preview (`mkdocs serve`); a cached PDF is reused
    # while the document is unchanged.
    in_preview = c.Type(bool, default=False)
    # Where each language's PDF goes in its site ({stem}, {year} and {lang} are filled in).
    file = c.Type(str, default="downloads/{stem}-{year}-{lang}.pdf")
    # Region of Traditional Chinese glyph forms: zh-Hant-HK, zh-Hant-TW, zh-Hant-MO.
    region = c.Type(str, default="HK")
    # Font families per script, most preferred first (fontconfig names).
    fonts_hant = c.ListOfItems(c.Type(str), default=["Noto Sans CJK HK", "Noto Sans CJK TC",
                                                     "Source Han Sans HC", "Source Han Sans TC"])
    fonts_hans = c.ListOfItems(c.Type(str), default=["Noto Sans CJK SC", "Source Han Sans SC"])
    # An English edition: a Latin face first (Noto Sans where installed, else DejaVu Sans,
    # which fontconfig itself brings), the CJK faces after it for Chinese names.
    fonts_en = c.ListOfItems(c.Type(str), default=["Noto Sans", "DejaVu Sans",
                                                   "Noto Sans CJK HK", "Noto Sans CJK SC"])
    # The English edition's language tag: its hyphenation and spelling conventions.
    english_variant = c.Type(str, default="en-GB")
    # The report's own print stylesheet, added after the kit's ('' for none).
    stylesheet = c.Type(str, default="overrides/pdf/print.css")
    # Reuse a PDF rendered from the same document (content hash) instead of rendering again.
    cache_dir = c.Type(str, default=".cache/csr-pdf")
    # The standard the file claims: 'ua' (PDF/UA-1, tagged for screen readers) or
    # 'archive' (PDF/A-3a: tagged too, sRGB output intent, for regulators and archives).
    standard = c.Choice(("ua", "archive"), default="ua")
    # Embed the KPI data (the site's CSV and JSON downloads) and the glossary (CSV).
    attach_data = c.Type(bool, default=True)
    # Fail the build when a PDF cannot be made (strict builds fail on the warning anyway).
    required = c.Type(bool, default=False)
