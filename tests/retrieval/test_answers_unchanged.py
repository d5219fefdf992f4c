"""Speed work must not change answers: a fixed set of questions against recorded answers.

The recordings hold, per question, whether it was answered, its confidence (4 places)
and a digest of each returned sentence with its figures: a digest, so that the real
corpus's text never enters the repository. Recorded at the sentence table's commits;
the code before them (27ee4ed, the same model) gives the same recordings. A deliberate
change of answers (a retrained model, new features) records them again:

    python -m tests.retrieval.test_answers_unchanged
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from index import build_index
from retrieval import Retriever
from retrieval.answer import MAPPED_POSTINGS

DATA = Path(__file__).with_name("data")
SAMPLE_QUESTIONS = [
    "云帆科技第三季度营收多少？", "云帆的日活是多少", "云帆海外业务盈利了吗", "云服务收入多少",
    "星河咖啡有多少家门店", "星河咖啡二季度净收入", "二季度新开多少门店", "9.9元活动还继续吗",
    "蓝鲸汽车10月交付了多少辆", "蓝鲸汽车有多少门店", "蓝鲸什么时候进入欧洲", "超充站有多少座",
    "江城地铁国庆日均客流", "江城地铁单日最高客流", "今年新开几条地铁线路",
    "云帆科技的市值是多少", "星河咖啡的咖啡豆从哪里来", "火星上有几家门店",
]


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def record(retriever: Retriever, questions: list[str]) -> dict[str, dict]:
    """What the answers to `questions` are, in the recordings' form."""
    answers = {}
    for question in questions:
        answer = retriever.answer(question, top=3)
        answers[question] = {
            "found": answer.found,
            "confidence": round(answer.confidence, 4),
            "hits": [_digest(json.dumps([hit.sentence, [f.text for f in hit.figures],
                                         hit.source.path], ensure_ascii=False))
                     for hit in answer.hits],
        }
    return answers


def sample_store(folder: Path) -> Path:
    corpus = Path(str(resources.files("settings").joinpath("sample_corpus")))
    build_index(corpus, folder / "sample.db")
    return folder / "sample.db"


def dev_questions(shared: Path) -> list[str]:
    lines = (shared / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


# Postings mapped (a store this small) and read by slices (a large one's way).
POSTINGS_WAYS = (MAPPED_POSTINGS, 0)


def test_answers_over_the_sample_corpus_are_the_recorded_ones(tmp_path):
    expected = json.loads((DATA / "answers_sample.json").read_text(encoding="utf-8"))
    db_path = sample_store(tmp_path)
    for mapped_postings in POSTINGS_WAYS:
        with Retriever.open(db_path, mapped_postings=mapped_postings) as retriever:
            assert record(retriever, SAMPLE_QUESTIONS) == expected


def test_answers_to_dev_questions_are_the_recorded_ones(shared_dir, tmp_path):
    expected = json.loads((DATA / "answers_dev.json").read_text(encoding="utf-8"))
    build_index(shared_dir / "corpus", tmp_path / "dev.db")
    for mapped_postings in POSTINGS_WAYS:
        with Retriever.open(tmp_path / "dev.db", mapped_postings=mapped_postings) as retriever:
            assert record(retriever, dev_questions(shared_dir)) == expected


if __name__ == "__main__":  # record the answers again (a deliberate change)
    import tempfile

    from tests.conftest import SHARED

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with Retriever.open(sample_store(folder)) as sample:
            recorded = record(sample, SAMPLE_QUESTIONS)
        (DATA / "answers_sample.json").write_text(
            json.dumps(recorded, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        build_index(SHARED / "corpus", folder / "dev.db")
        with Retriever.open(folder / "dev.db") as dev:
            recorded = record(dev, dev_questions(SHARED))
        (DATA / "answers_dev.json").write_text(
            json.dumps(recorded, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
