"""Country names as the lists write them, to FtM's ISO codes, cached.

Lists repeat the same few hundred country spellings tens of thousands of times; FtM's cleaner
(rigour's territory lookup) is correct but slow per call, so results are memoised.
"""

from __future__ import annotations

from functools import lru_cache

from followthemoney.types import registry


@lru_cache(maxsize=8192)
def clean_country(text: str) -> str | None:
    return registry.country.clean_text(text)
