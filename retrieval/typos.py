"""Pinyin typos: 品多多 → 拼多多, 短句 → 短剧, 观忘 → 观望.

People type Chinese through pinyin input methods, so a wrong character
usually sounds like the right one. A question word missing from the
articles' vocabulary is looked up by its toneless pinyin key among the
vocabulary words of the same key, which the index stores with each term.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from index.pinyin import pinyin_key


class PinyinIndex:
    """Vocabulary words by toneless pinyin, through the store's indexed `terms.pinyin`."""

    def __init__(self, words_for_key: Callable[[str], Iterable[str]]):
        self._words_for_key = words_for_key

    def sound_alikes(self, word: str) -> list[str]:
        """Vocabulary words that sound like `word` (tones ignored), other than itself."""
        key = pinyin_key(word)
        if key is None:
            return []
        return [candidate for candidate in self._words_for_key(key) if candidate != word]
