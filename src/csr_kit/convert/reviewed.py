"""What an author has already checked in the conversion review.

``data/conversion-reviewed.yml`` (optional) lists entries a person has looked
at, so the next release's review shows only what is new::

    reviewed:
      - source: 持份者          # a wording change or a one-to-many character
        result: 利益相关方
      - word: 午膳              # wording left unconverted, or the other region's word
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..datafile import load_model
from .review import Reviewed


class ReviewedItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str | None = Field(None, min_length=1)
    result: str | None = Field(None, min_length=1)
    word: str | None = Field(None, min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ReviewedItem:
        if self.word is None and (self.source is None or self.result is None):
            raise ValueError("write either 'source:' and 'result:' (a change you checked) "
                             "or 'word:' (a wording you checked)")
        return self


class ReviewedFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reviewed: tuple[ReviewedItem, ...] = ()


def load_reviewed(path: str | Path, shown_as: str) -> Reviewed:
    """The reviewed entries; none when the file does not exist."""
    if not Path(path).exists():
        return Reviewed()
    data, _ = load_model(ReviewedFile, path, shown_as)
    return Reviewed(
        changes=frozenset((i.source, i.result) for i in data.reviewed
                          if i.source is not None and i.result is not None),
        words=frozenset(i.word for i in data.reviewed if i.word is not None))
