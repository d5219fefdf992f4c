"""Questions in, sentences and figures out: BM25 over passages, then sentence choice.

Public names: `Retriever`, `Answer`, `Hit`, `Source`, `Passage`, `StoreStats`;
`MAX_QUESTION_CHARS` (longer questions are cut);
errors: `EmptyQuestion` (nothing to ask), and from the store `StoreMissing`
(no index yet) and `StoreOutdated` (rebuild it).
"""

from index.store import StoreMissing, StoreOutdated
from retrieval.answer import Answer, Hit, Passage, Retriever, Source, StoreStats
from retrieval.opening import open_retriever
from retrieval.question import MAX_QUESTION_CHARS, EmptyQuestion

__all__ = [
    "Answer",
    "EmptyQuestion",
    "Hit",
    "MAX_QUESTION_CHARS",
    "Passage",
    "Retriever",
    "Source",
    "StoreMissing",
    "StoreOutdated",
    "StoreStats",
    "open_retriever",
]
