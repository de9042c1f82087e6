"""Chinese word segmentation for the search index, in either script.

Material's search plugin segments Chinese with jieba, whose dictionary is
Simplified: Traditional text falls apart into single characters and a reader
typing 碳中和 or 持份者 finds nothing.  Segmenting the Simplified form of the
text and cutting the original at the same places fixes that, because
character conversion keeps the text's length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any


class ScriptAwareSegmenter:
    """Stands in for the ``jieba`` module where only ``cut`` is used."""

    def __init__(self, jieba: Any, to_simplified: Callable[[str], str]) -> None:
        self._jieba = jieba
        self._to_simplified = to_simplified

    def cut(self, text: str | bytes, *args: Any, **kwargs: Any) -> Iterator[str]:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        if text.isascii():  # nothing to convert: most of the calls (markup, English, numbers)
            yield from self._jieba.cut(text, *args, **kwargs)
            return
        simplified = self._to_simplified(text)
        if len(simplified) != len(text):  # a phrase changed length: segment as it is
            yield from self._jieba.cut(text, *args, **kwargs)
            return
        position = 0
        for word in self._jieba.cut(simplified, *args, **kwargs):
            yield text[position:position + len(word)]
            position += len(word)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jieba, name)


def add_words(jieba: Any, words: Iterable[str]) -> None:
    """Teach the segmenter the report's own terms (glossary entries in both scripts)."""
    for word in words:
        if word and len(word) > 1:
            jieba.add_word(word, freq=200000)
