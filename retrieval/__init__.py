"""Questions in, sentences and figures out: BM25 over passages, then sentence choice.

Public names: `Retriever`, `Answer`, `Hit`, `Source`, `Passage`, `StoreStats`;
errors: `EmptyQuestion` (nothing to ask), and from the store `StoreMissing`
(no index yet) and `StoreOutdated` (rebuild it).
"""

from index.store import StoreMissing, StoreOutdated
from retrieval.answer import Answer, Hit, Passage, Retriever, Source, StoreStats
from retrieval.question import EmptyQuestion

__all__ = [
    "Answer",
    "EmptyQuestion",
    "Hit",
    "Passage",
    "Retriever",
    "Source",
    "StoreMissing",
    "StoreOutdated",
    "StoreStats",
]
