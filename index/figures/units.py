"""What may follow a number, by category: units, classifiers and their labels.

Each entry maps the written unit to (kind, unit label, subtype). The
extractor builds one alternation from these keys, longest first.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Unit(NamedTuple):
    kind: str
    label: str | None
    subtype: str | None = None


CURRENCIES = {
    "元人民币": "CNY", "人民币": "CNY", "元": "CNY", "块钱": "CNY",
    "美元": "USD", "美金": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR",
    "日元": "JPY", "英镑": "GBP", "韩元": "KRW", "新台币": "TWD", "卢布": "RUB",
}

# Currencies that can be written before an amount ("新台币4146亿元", "美元2亿"), longest first.
CURRENCY_NAMES = tuple(sorted((word for word in CURRENCIES if word not in ("元", "块钱")),
                              key=len, reverse=True))

PERCENTS = {"%": "%", "个百分点": "pp", "百分点": "pp", "个点": "pp", "‰": "‰",
            "个基点": "bp", "基点": "bp"}

DURATIONS = {
    "年": "year", "个年头": "year", "个月": "month", "天": "day", "周": "week",
    "个星期": "week", "星期": "week", "个小时": "hour", "小时": "hour",
    "分钟": "minute", "秒": "second", "个季度": "quarter", "季度": "quarter",
}

# Classifier -> unit label of the counted thing.
COUNTERS = {
    "个": "items", "人次": "person-times", "人": "people", "名": "people", "位": "people",
    "家": "companies", "款": "products", "次": "times", "张": "sheets", "件": "items",
    "台": "units", "辆": "vehicles", "部": "units", "条": "items", "项": "items",
    "场": "events", "座": "buildings", "所": "institutions", "只": "items", "份": "copies",
    "篇": "articles", "本": "books", "套": "sets", "颗": "items", "种": "kinds",
    "类": "kinds", "支": "items", "批": "batches", "户": "households", "间": "rooms",
    "架": "aircraft", "艘": "ships", "棵": "trees", "对": "pairs", "重": "layers",
    "级": "levels", "层": "layers", "期": "issues", "轮": "rounds", "届": "sessions",
    "首": "songs", "集": "episodes", "笔": "transactions", "枚": "items", "起": "cases",
    "例": "cases", "处": "places", "栋": "buildings", "头": "animals", "单": "orders",
    "岁": "years old", "股": "shares",
}

MEASURES = {
    "平方公里": "km2", "平方米": "m2", "平米": "m2", "公里": "km", "千米": "km", "米": "m",
    "厘米": "cm", "公分": "cm", "毫米": "mm",
    "亩": "mu", "吨": "t", "公斤": "kg", "千克": "kg", "斤": "jin", "克": "g",
    "千瓦时": "kWh", "千瓦": "kW", "兆瓦": "MW", "毫升": "ml", "升": "l",
    "GB": "GB", "TB": "TB", "MB": "MB", "摄氏度": "°C", "℃": "°C",
}

UNITS: dict[str, Unit] = (
    {word: Unit("money", label) for word, label in CURRENCIES.items()}
    | {word: Unit("percent", label) for word, label in PERCENTS.items()}
    | {word: Unit("other", label, "duration") for word, label in DURATIONS.items()}
    | {word: Unit("count", label) for word, label in COUNTERS.items()}
    | {word: Unit("other", label) for word, label in MEASURES.items()}
    | {"成": Unit("ratio", "%"), "倍": Unit("multiple", "x")}
)

# Counted nouns that name the unit better than a generic classifier does.
NOUN_LABELS = {
    "用户": "users", "人群": "people", "网民": "people", "员工": "employees",
    "视频": "videos", "图片": "images", "产品": "products", "公司": "companies",
    "企业": "companies", "创始人": "founders", "等级": "levels", "指标": "indicators",
    "门店": "stores", "订单": "orders", "车": "vehicles", "会员": "members",
    "日活": "users", "月活": "users", "DAU": "users", "MAU": "users",
    "商家": "merchants", "商户": "merchants", "主播": "streamers", "直播间": "livestream rooms",
    "中心": "centers", "部门": "departments", "城市": "cities", "国家": "countries",
    "品牌": "brands", "商品": "products", "店铺": "stores", "岗位": "positions",
    "项目": "projects", "学校": "schools", "医院": "hospitals",
}
# Classifiers too general to name what they count (个, 户): the noun or metric may say better.
GENERIC_COUNTS = ("items", "households")
# An age (30岁以下用户): what follows it is who has it, not what it counts.
AGE = COUNTERS["岁"]

# Words before a bare 亿/万 amount that make it money (in CNY unless stated).
MONEY_WORDS = (
    "营收", "收入", "利润", "净利", "亏损", "营业额", "销售额", "成交额", "交易额", "GMV",
    "花费", "投资", "融资", "成本", "支出", "开支", "市值", "估值", "资金", "金额", "预算",
    "票房", "现金", "贷款", "债务", "资产", "薪", "工资", "奖金", "罚款", "补贴", "费用",
    "收购", "募资", "营销", "广告费", "分红", "回购", "消耗", "流水", "烧", "亏", "赚",
)
# 付费用户 is people, not a fee: a money word does not count inside a word for people.
MONEY_RE = re.compile("(?:" + "|".join(MONEY_WORDS) + ")(?![户者人])")
