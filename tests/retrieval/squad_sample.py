"""A small generated SQuAD-format set: made-up companies, their facts, questions about them."""

from __future__ import annotations

import json
import random
from pathlib import Path

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红"
CITIES = ["杭州", "成都", "武汉", "西安", "南京", "苏州", "长沙", "青岛", "厦门", "昆明",
          "合肥", "济南", "大连", "宁波", "福州", "贵阳"]
PRODUCTS = ["智能手表", "电动滑板", "咖啡机", "无人机", "扫地机器人", "翻译笔", "投影仪",
            "电子书阅读器", "净水器", "空气炸锅"]
SYLLABLES = "星辰云帆青禾远山蓝鲸赤霄银杏墨竹流光晨曦海棠紫藤"


def make_squad(path: Path, companies: int = 24, seed: int = 3) -> Path:
    """Write a SQuAD-format file with one paragraph and three questions per company."""
    rng = random.Random(seed)
    pages = []
    for number in range(companies):
        name = "".join(rng.sample(SYLLABLES, 2)) + rng.choice(["科技", "电子", "智能"])
        founder = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
        city = rng.choice(CITIES)
        year = rng.randint(1985, 2020)
        product = rng.choice(PRODUCTS)
        staff = rng.randint(2, 90) * 100
        sentences = [
            f"{name}是一家{product}制造商，总部位于{city}。",
            f"公司由{founder}于{year}年创办。",
            f"目前{name}共有员工{staff}人。",
            f"{name}的主要产品是{product}，销往多个国家。",
        ]
        rng.shuffle(sentences)
        questions = [
            (f"{name}是谁创办的？", founder),
            (f"{name}的总部在哪里？", city),
            (f"{name}有多少员工？", f"{staff}人"),
        ]
        pages.append({
            "title": name,
            "paragraphs": [{
                "context": "".join(sentences),
                "qas": [
                    {"id": f"{number}-{i}", "question": q,
                     "answers": [{"text": a, "answer_start": 0}]}
                    for i, (q, a) in enumerate(questions)
                ],
            }],
        })
    path.write_text(json.dumps({"version": "test", "data": pages}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def make_figure_squad(path: Path, companies: int = 40, seed: int = 5) -> Path:
    """Write a SQuAD-format file whose answers are one of a sentence's several figures: the
    figure said next to what the question asks about, wherever it stands in the sentence."""
    rng = random.Random(seed)
    measures = [("营收", "亿元"), ("门店", "家"), ("员工", "人"), ("研发投入", "亿元")]
    pages = []
    for number in range(companies):
        name = "".join(rng.sample(SYLLABLES, 2)) + rng.choice(["科技", "电子", "智能"])
        said = rng.sample(measures, 3)
        values = [f"{rng.randint(11, 999)}{unit}" for _, unit in said]
        clauses = [f"{metric}达到{value}" for (metric, _), value in zip(said, values, strict=True)]
        asked = rng.randrange(3)
        pages.append({
            "title": name,
            "paragraphs": [{
                "context": f"{name}去年{'，'.join(clauses)}。{name}总部位于{rng.choice(CITIES)}。",
                "qas": [{"id": f"{number}", "question": f"{name}去年{said[asked][0]}多少？",
                         "answers": [{"text": values[asked], "answer_start": 0}]}],
            }],
        })
    path.write_text(json.dumps({"version": "test", "data": pages}, ensure_ascii=False),
                    encoding="utf-8")
    return path
