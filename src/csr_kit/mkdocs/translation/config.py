from mkdocs.config import config_options as c

from ..data_files import TranslationFiles


class TranslationConfig(TranslationFiles):
    # A page with no translation in a translated edition (English): 'notice' publishes a
    # short "not yet translated" page linking to the Chinese editions; 'omit' also leaves
    # it out of that edition's navigation and PDF. The Chinese text is never shown as
    # the translation.
    untranslated = c.Choice(("notice", "omit"), default="notice")
