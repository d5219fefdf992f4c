"""Figures: each tricky kind pinned on a sentence of its own, then the dev gold."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.figures import Figure, extract_figures, read_gold, score_figures


def find(sentence: str, text: str) -> Figure:
    """The one figure whose span is `text`."""
    matches = [figure for figure in extract_figures(sentence) if figure.text == text]
    assert len(matches) == 1, extract_figures(sentence)
    return matches[0]


@pytest.mark.parametrize(
    ("sentence", "text", "kind", "value", "unit", "qualifier"),
    [
        # money, with explicit or implied currency
        ("比亚迪营收同比增长36.4%至1249.4亿元", "1249.4亿元", "money", 124940000000, "CNY", None),
        ("小米集团第二季度净利润约为62亿港元", "62亿港元", "money", 6200000000, "HKD", "about"),
        ("苹果市值一度突破3万亿美元", "3万亿美元", "money", 3 * 10**12, "USD", "more than"),
        ("拼多多的营收为 215 亿,远低于预期的 256 亿", "215 亿", "money", 21500000000, "CNY", None),
        ("拼多多的营收为 215 亿,远低于预期的 256 亿", "256 亿", "money", 25600000000, "CNY", None),
        ("该公司近三年累计亏损超过十亿元", "十亿元", "money", 10**9, "CNY", "more than"),
        ("某厂商年薪 80w 以上的员工", "80w", "money", 800000, "CNY", "more than"),
        # percentages, percentage points, ratios in 成
        ("美团经营利润率提升2.1个百分点", "2.1个百分点", "percent", 2.1, "pp", None),
        ("毛利率仅提升 0.8 个点", "0.8 个点", "percent", 0.8, "pp", "only"),
        ("公司计划裁员10%-15%,涉及约2000人", "10%-15%", "percent", (10, 15), "%", None),
        ("渗透率达到２８．５％", "２８．５％", "percent", 28.5, "%", None),
        ("营收的百分之十五来自海外", "百分之十五", "percent", 15, "%", None),
        ("超七成受访者表示愿意为AI功能付费", "七成", "ratio", 70, "%", "more than"),
        ("九成以上的门店已经盈利", "九成", "ratio", 90, "%", "more than"),
        ("近半数用户来自三线以下城市", "半数", "ratio", 50, "%", "nearly"),
        ("市场份额约占三分之一", "三分之一", "ratio", 33.33, "%", "about"),
        # counts: classifiers, multipliers, 余/多, Chinese numerals, ranges
        ("蔚来全年交付新车16.02万辆,同比增长30.7%", "16.02万辆", "count", 160200, "vehicles", None),
        ("春节假期国内旅游出游4.74亿人次", "4.74亿人次", "count", 474000000, "person-times", None),
        ("星巴克中国门店数量突破7000家", "7000家", "count", 7000, "companies", "more than"),
        ("百度文心一言用户规模突破1亿", "1亿", "count", 100000000, "users", "more than"),
        ("这款游戏一年内更新了二十余次", "二十余次", "count", 20, "times", "more than"),
        ("平台接入了300多个品牌", "300多个", "count", 300, "brands", "more than"),  # the noun
        ("平台接入了300多个合作方", "300多个", "count", 300, "items", "more than"),
        ("两名高管在本月离职", "两名", "count", 2, "people", None),
        ("京东将在未来3到5年内招聘1万名员工", "1万名", "count", 10000, "employees", None),
        ("规模在500-999人的企业", "500-999人", "count", (500, 999), "people", None),
        ("吸引数百亿资金涌入", "数百亿", "money", (10**10, 10**11), "CNY", None),
        ("每场直播有十几万人观看", "十几万人", "count", (110000, 190000), "people", None),
        # multiples and ranks
        ("该平台的日订单量是去年的2倍", "2倍", "multiple", 2, "x", None),
        ("拼多多的活跃买家数在两年内翻番", "翻番", "multiple", 2, "x", None),
        ("该应用在下载榜上排名第3名", "第3名", "rank", 3, "ordinal", None),
        ("这是公司上市以来第一次出现亏损", "第一次", "rank", 1, "ordinal", None),
        # durations
        ("员工司龄不足一年", "一年", "other", 1, "year", "less than"),
        ("京东将在未来3到5年内招聘", "3到5年", "other", (3, 5), "year", None),
        ("平均每位用户日均使用时长超过120分钟", "120分钟", "other", 120, "minute", "more than"),
        ("过去半年,广告收入停止增长", "半年", "other", 0.5, "year", "past"),
        ("该项目历时一年半", "一年半", "other", 1.5, "year", None),
        ("建设周期约为5年", "5年", "other", 5, "year", "about"),
        # words that are quantities, and bare 百/千/万 after a qualifier or 上
        ("公司估值较上一轮翻了一番", "翻了一番", "multiple", 2, "x", None),
        ("有一半以上的企业计划扩招", "一半", "ratio", 50, "%", "more than"),
        ("今年已有上百家公司宣布裁员", "百家", "count", 100, "companies", "more than"),
        ("涉及近千家门店", "千家", "count", 1000, "stores", "nearly"),
        ("估值已达百亿美元", "百亿美元", "money", 10**10, "USD", None),
        ("净利润为2478亿新台币,约合77亿美元", "77亿美元", "money", 77 * 10**8, "USD", "about"),
        ("续航里程至少为600公里", "600公里", "other", 600, "km", "at least"),
        ("平均气温为26.5摄氏度", "26.5摄氏度", "other", 26.5, "°C", None),
        # a 千 that starts a measure multiplies nothing
        ("这台机器重10千克", "10千克", "other", 10, "kg", None),
        ("电池容量为100千瓦时", "100千瓦时", "other", 100, "kWh", None),
        ("果实长约15至20厘米", "15至20厘米", "other", (15, 20), "cm", "about"),
        ("体长可达80公分", "80公分", "other", 80, "cm", None),
        ("销量达5千台", "5千台", "count", 5000, "units", None),
        ("月薪20K的岗位", "20K", "money", 20000, "CNY", None),
        ("同比增长两成半", "两成半", "ratio", 25, "%", None),
        ("七成半导体企业计划扩产", "七成", "ratio", 70, "%", None),
        # a currency named before the amount
        ("台积电营收新台币4146亿元", "4146亿元", "money", 4146 * 10**8, "TWD", None),
        ("市值达港币500亿", "500亿", "money", 500 * 10**8, "HKD", None),
        ("营收同比增长12.5%至人民币311亿元", "311亿元", "money", 311 * 10**8, "CNY", None),
        ("回购金额不超过50亿港元", "50亿港元", "money", 50 * 10**8, "HKD", "at most"),
        ("持股比例不超过5%", "5%", "percent", 5, "%", "at most"),
        ("美联储宣布加息25个基点", "25个基点", "percent", 25, "bp", None),
        ("央行下调LPR 10基点", "10基点", "percent", 10, "bp", None),
        ("印花税税率为千分之一", "千分之一", "percent", 1, "‰", None),  # as 1‰ reads
        ("公司累计回购约1.2亿股", "1.2亿股", "count", 1.2 * 10**8, "shares", "about"),
        # down by one, to the other: no range
        ("特斯拉售价下调1.4万元至24.99万元", "24.99万元", "money", 249900, "CNY", None),
        ("预计营收增长10%至15%", "10%至15%", "percent", (10, 15), "%", None),  # a range
        ("其中,30岁以下用户占比超过60%", "30岁", "count", 30, "years old", "at most"),  # an age
        # letters before the digits name what is counted, when a multiplier or % follows
        ("上线两年的抖音,年初DAU3000万,年底2亿", "3000万", "count", 3 * 10**7, "users", None),
        ("公司ROE15%,高于同行", "15%", "percent", 15, "%", None),
    ],
)
def test_amounts(sentence, text, kind, value, unit, qualifier):
    figure = find(sentence, text)
    assert (figure.kind, figure.unit, figure.qualifier) == (kind, unit, qualifier)
    if isinstance(value, tuple):
        assert figure.value == pytest.approx(value)
    else:
        assert figure.value == pytest.approx(value, rel=1e-6)


@pytest.mark.parametrize(("sentence", "text"), [("在9月实现月活超150万", "150万"),
                                                 ("当年年初DAU是1亿", "1亿"),
                                                 ("四季度达到历史新高的3.23亿DAU", "3.23亿"),
                                                 # the noun after it, before the metric's 公司
                                                 ("公司第四季度实现了3.5亿DAU", "3.5亿"),
                                                 # of the figure before, as its metric is
                                                 ("当年年底DAU是2亿,次年年底2.5亿", "2.5亿")])
def test_daily_and_monthly_actives_count_users(sentence, text):
    assert find(sentence, text).unit == "users"


def test_durations_are_flagged():
    assert find("员工司龄不足一年", "一年").subtype == "duration"
    assert find("数据覆盖最近10年", "10年").subtype == "duration"


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("用户日均使用时长约为两个半小时", "两个半小时", 2.5, "hour"),
        ("项目延期了三个半月", "三个半月", 3.5, "month"),
        ("车程控制在一个半小时内", "一个半小时", 1.5, "hour"),  # no article: a span
        ("耗时2个半小时", "2个半小时", 2.5, "hour"),
    ],
)
def test_a_span_counted_with_ge_and_a_half_is_one_duration(sentence, text, value, unit):
    figure = find(sentence, text)
    assert (figure.value, figure.unit, figure.subtype) == (value, unit, "duration")
    assert len(extract_figures(sentence)) == 1  # no 两个 and 半小时 besides


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("七八成的受访者表示愿意尝试新产品", "七八成", (70, 80), "%"),
        ("项目两三年内完成", "两三年", (2, 3), "year"),
        ("五六百人参加了活动", "五六百人", (500, 600), "people"),
        ("二三十家企业入驻", "二三十家", (20, 30), "companies"),
        ("十七八岁的年轻人", "十七八岁", (17, 18), "years old"),
        ("营收二三百亿元", "二三百亿元", (2 * 10**10, 3 * 10**10), "CNY"),
    ],
)
def test_two_neighbouring_digits_say_one_or_the_next(sentence, text, value, unit):
    figure = find(sentence, text)
    assert (figure.value, figure.unit) == (value, unit)


@pytest.mark.parametrize("sentence", ["一二线城市的需求", "三四线城市", "七八月份的销量",
                                      "他是队中唯一两名外援之一"])
def test_neighbouring_digits_without_a_measure_are_no_range(sentence):
    assert not any(isinstance(f.value, tuple) for f in extract_figures(sentence))


def test_ge_before_a_word_with_ban_stays_a_count():
    assert [f.text for f in extract_figures("有两个半导体项目")] == ["两个"]
    assert [f.text for f in extract_figures("这两个半月形的湖")] == ["两个"]


@pytest.mark.parametrize(
    ("sentence", "text", "value", "qualifier"),
    [
        ("特斯拉2023年第四季度交付48.46万辆电动车", "2023年第四季度", "2023-Q4", None),
        ("比亚迪2024年三季度营收增长", "2024年三季度", "2024-Q3", None),
        ("在 Q2 财报中,公司上调了指引", "Q2", "XXXX-Q2", None),
        ("2022年Q1及全年财报", "2022年Q1", "2022-Q1", None),
        ("2023年下半年,行业开始复苏", "2023年下半年", "2023-H2", None),
        ("2021年前三季度净利润下滑", "2021年前三季度", "2021-Q1/2021-Q3", None),
        ("据报道,9 月 12 日,苹果发布新机", "9 月 12 日", "XXXX-09-12", None),
        ("今年3月,公司宣布重组", "今年3月", "THIS_YEAR-03", None),
        ("公司在去年12月完成了A轮融资", "去年12月", "LAST_YEAR-12", None),
        ("同年8月,两家公司合并", "同年8月", "SAME_YEAR-08", None),
        ("截至2023年6月底,我国网民规模达10.79亿人", "2023年6月", "2023-06", "as of"),
        ("5月8日下午,公司回应称", "5月8日", "XXXX-05-08", "afternoon"),
        ("从 3 月以来,股价持续下跌", "3 月", "XXXX-03", "since"),
        ("O2O模式曾在2015年吸引资金", "2015年", "2015", None),
        # short years before a part of the calendar, or opening a question
        ("24年第三季度,海外收入占比过半", "24年第三季度", "2024-Q3", None),
        ("24年上半年苹果的销量排第几?", "24年上半年", "2024-H1", None),
        ("24年华为的市场份额是多少?", "24年", "2024", None),
        ("公司23Q3营收增长", "23Q3", "2023-Q3", None),
        ("阿里巴巴2022财年收入增长", "2022财年", "FY2022", None),
        ("今年1-11月,利润总额下降", "今年1-11月", "THIS_YEAR-01/THIS_YEAR-11", None),
        ("10月1日至7日国庆假期,出行人次达18亿", "10月1日至7日", "XXXX-10-01/XXXX-10-07", None),
        ("2024年11月1日-11日,成交额增长20%", "2024年11月1日-11日", "2024-11-01/2024-11-11", None),
        ("2月28日至30日", "2月28日", "XXXX-02-28", None),  # no such span: the first day
        ("2021年至2023年,营收稳步增长", "2021年至2023年", "2021/2023", None),
        ("自 2013 年开启商业化以来", "2013 年", "2013", "since"),
        # years of the Republic of China (Taiwan): 民国99年 is 2010
        ("中華民國99年12月25日升格为直辖市", "民國99年12月25日", "2010-12-25", None),
        ("民国113年营收创新高", "民国113年", "2024", None),
        # 第三季 before what a quarter reports (Taiwan's usage); a show's 第三季 is no date
        ("台積電第三季營收創新高", "第三季", "XXXX-Q3", None),
        ("去年第4季營收成長12%", "去年第4季", "LAST_YEAR-Q4", None),
        # fiscal years and quarters, however written
        ("FY2024公司营收首次突破千亿元", "FY2024", "FY2024", None),
        ("公司FY24营收增长12%", "FY24", "FY2024", None),
        ("苹果第四财季营收为949亿美元", "第四财季", "FYXXXX-Q4", None),
        ("阿里巴巴2024财年第二财季营收2365亿元", "2024财年第二财季", "FY2024-Q2", None),
        # a year before 1800 is one before a part of the calendar (alone, see below)
        ("1789年6月20日,法国三级会议会场被封闭", "1789年6月20日", "1789-06-20", None),
        ("1702年5月反法同盟正式宣战", "1702年5月", "1702-05", None),
    ],
)
def test_dates(sentence, text, value, qualifier):
    figure = find(sentence, text)
    assert (figure.kind, figure.value, figure.qualifier, figure.metric) == (
        "date", value, qualifier, ""
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "腾讯控股(00700.HK)今日股价上涨",  # stock code
        "新版本可灵AI1.5已经上线",  # version
        "双11期间各平台促销不断",  # festival
        "双十一的成交数据尚未公布",
        "员工可以获得N+1补偿",  # N+1
        "O2O模式已经退潮",
        "B站的用户以年轻人为主",
        "03 写在最后",  # section number
        "互联网大厂大裁员2",  # headline suffix
        "这是一种全新的商业模式,一位高管说",  # 一 as an article
        "每一次调整都有一场硬仗,一家公司一次次试错",
        "他一口气发布了多款产品",  # idioms
        "退一万步说,这也是一方面的原因",
        "市场被两强二分天下,万物互联",
        "城乡二元结构依然存在",
        "公司将引入第三方机构,发布第一代产品",  # 第三方, 第一代
        "阿里将三大业务合并",  # 三大X
        "今年年底,明年将继续推进",  # relative dates without a numeral
        "今年上半年行业承压",
        "研究团队在《2035远景目标》中提出建议",  # a bare year inside a title
        "三只松鼠将拓展门店,据第一财经报道",  # brand and media names
        "新款电视支持4K画质,二级市场和二次元公司",
        "在万众瞩目中亮相,评价十分一致,万一出错",
    ],
)
def test_not_figures(sentence):
    assert extract_figures(sentence) == []


def test_half_year_without_a_year_leaves_no_duration():
    figures = extract_figures("比亚迪上半年累计销量约161万辆")
    assert [figure.text for figure in figures] == ["161万辆"]


def test_a_span_of_years_is_still_a_duration():
    assert find("公司成立24年来首次亏损", "24年").subtype == "duration"
    assert find("这座古城已有1200年历史", "1200年").subtype == "duration"


@pytest.mark.parametrize(
    ("sentence", "text", "count"),
    [
        ("快手将绩效分为四个等级", "四个", 4),
        ("两家公司合并", "两家", 2),
        ("这句话有两重意思", "两重", 2),
        ("他在一年内跳槽 4 次", "4 次", 4),
    ],
)
def test_small_cardinals_with_classifier_are_figures(sentence, text, count):
    assert find(sentence, text).value == count


@pytest.mark.parametrize(
    ("sentence", "text", "metric"),
    [
        # the date is scenery: the subject before it stays in the metric
        ("比亚迪一季度营收同比增长36.4%至1249.4亿元", "36.4%", "比亚迪营收同比增长"),
        ("比亚迪一季度营收同比增长36.4%至1249.4亿元", "1249.4亿元", "比亚迪营收"),
        ("今年,腾讯的净利润下降了 5%", "5%", "净利润下降"),
        ("有42.1%的受访者表示愿意换工作", "42.1%", "受访者"),
        ("平台累计生成3000万个视频", "3000万个", "视频"),
        ("宁德时代拟斥资约20亿美元在匈牙利建厂", "20亿美元", "在匈牙利建厂"),
        ("占比高于“成本太高”(31.5%)等选项", "31.5%", "成本太高"),
        ("收入占比分别为40.2%、35.1%和24.7%", "35.1%", "收入占比"),
        ("公司员工数量已经达到 1.2 万人", "1.2 万人", "公司员工数量"),
        ("直播电商GMV在2022年达到3.5万亿元", "3.5万亿元", "直播电商GMV"),
        ("销售额在1小时内突破1000万元", "1000万元", "销售额"),
        ("蔚来汽车毛利率为13.1%,去年同期为16.4%", "16.4%", "蔚来汽车毛利率"),
        ("市场份额已从两成跌至不到5%", "5%", "市场份额"),
        ("有超过四成的人曾在直播间购物", "四成", "曾在直播间购物"),
        ("离职员工可以获得一个月薪资作为补偿", "一个月", "薪资"),
        ("阿里云以近四成的市场份额位居榜首", "四成", "市场份额"),
        ("台积电营收新台币4146亿元", "4146亿元", "台积电营收"),  # the currency is the amount's
        ("营收同比增长12.5%至人民币311亿元", "311亿元", "营收"),
        ("回购金额不超过50亿港元", "50亿港元", "回购金额"),  # 不 belongs to the qualifier
        ("营业利润率从去年同期的12%提升至18%", "12%", "营业利润率"),  # the base is no metric
        ("营业利润率从去年同期的12%提升至18%", "18%", "营业利润率"),
        ("用户平均使用时长为每天128分钟", "128分钟", "用户平均使用时长"),  # the rate is the unit's
        ("公司员工人数从高峰期的11万人减至约7万人", "11万人", "公司员工人数"),
        ("公司员工人数从高峰期的11万人减至约7万人", "7万人", "公司员工人数"),
        ("超17000个品牌成交额同比增长超3倍", "17000个", "品牌成交额"),  # the counted noun ends
        ("特斯拉售价下调1.4万元至24.99万元", "24.99万元", "特斯拉售价"),
        ("本次发行价为每股16.8港元", "16.8港元", "本次发行价"),
        # A change to a new level leaves the metric whole, the verb and all.
        ("付费用户数达到1.19亿,付费率提升至20.4%", "20.4%", "付费率"),
        ("韩国电话线路增加到2900万条", "2900万条", "韩国电话线路"),
        ("年轻人比例从14%提高到了56%", "56%", "年轻人比例"),
        ("公司员工总数由年初的2.3万人降至1.8万人", "2.3万人", "公司员工总数"),
        ("苹果第四财季营收为949亿美元", "949亿美元", "苹果营收"),  # the quarter is no metric
        # 平均 is a word; what the figure is compared with opens the phrase, no part of it
        ("该公司市盈率约为15倍,低于行业平均的22倍", "22倍", "行业平均"),
        ("河口流量平均为3.4万立方米", "3.4万", "河口流量平均"),
        ("分红率维持在50%以上", "50%", "分红率"),  # 维持在, 仅需: links
        ("百公里加速仅需3.9秒", "3.9秒", "百公里加速"),
        ("该城市新房均价为每平方米3.2万元", "3.2万元", "该城市新房均价"),  # a rate: the unit's
        # a change alone in its clause: of what the figure before counted
        ("较三年前的4794名员工数,涨了85.42%", "85.42%", "员工数"),
        # money followed by 的 and a noun, with no money word before it: the noun
        ("把自己700元的二手相机,转卖给一名西安大学生", "700元", "二手相机"),
        ("董事会批准了一项高达100亿港元的股份回购计划", "100亿港元", "股份回购计划"),
        ("营收达到311亿元的公司", "311亿元", "营收"),
        ("帕特纳赫峡谷(德语:)是一座长702米的峡谷", "702米", "是一座长"),  # no ) left
        ("实际运行速度最高可达每小时300公里", "300公里", "实际运行速度"),  # a record: no metric
        ("韩国外汇储备锐减到39亿美元", "39亿美元", "韩国外汇储备锐减"),  # 锐减 stays whole
        # an average alone says nothing: the clause before does
        ("州公路总长4500公里,平均1000平方公里有14.2公里", "14.2公里", "州公路总长"),
        # a verdict on the figure ends its phrase: a comparison, or a record
        ("华东地区门店的占比最高,达到35.2%", "35.2%", "占比"),
        ("华南、华北的门店占比也高于其他地区,分别为20%和18.5%", "18.5%", "门店占比"),
        ("公司四季度达到历史新高的3.23亿DAU", "3.23亿", "DAU"),
        ("当季净利润为12亿元,远低于市场预期的18亿元", "18亿元", "市场预期"),
        # what the figure is compared with measures what the figure before measured
        ("该业务营收为20.5亿元,较2022年同期的18.1亿元增长13.3%", "18.1亿元", "该业务营收"),
        ("该业务营收为20.5亿元,较去年同期的18.1亿元增长13.3%", "18.1亿元", "该业务营收"),
        # a share with nothing before it: what the share did
        ("有40%的用户表示满意,有12.5%没有给出任何评价", "12.5%", "没有给出任何评价"),
        # relative years are scenery, like dates; so is how fast a change went
        ("当年年底DAU是2亿,次年年底2.5亿", "2亿", "DAU"),
        ("当年年底DAU是2亿,次年年底2.5亿", "2.5亿", "DAU"),
        ("该公司总流量获得同比接近40%的高速增长", "40%", "增长"),
        ("高速公路里程达到3.5万公里", "3.5万公里", "高速公路里程"),
        # a counted noun right after a bare amount is what it counts
        ("加强了公司实现5亿DAU目标的信心", "5亿", "DAU目标"),
        ("全国网民规模达到9.89亿互联网普及率达到70.4%", "9.89亿", "网民规模"),
        # a list of changes names its measure once: the subjects after share it
        ("比起峰值,腾讯股价下跌20%,阿里巴巴下跌40%", "40%", "阿里巴巴股价下跌"),
        ("苹果营收增长5%,微软增长8%", "8%", "微软营收增长"),
        # ... but a measure of its own, or a list without a subject, is left alone
        ("腾讯营收增长10%,成本增长5%", "5%", "成本增长"),
        ("营收同比增长12%,净利润增长5%", "5%", "净利润增长"),
    ],
)
def test_metric(sentence, text, metric):
    assert find(sentence, text).metric == metric


def test_offsets_point_into_the_original_sentence():
    sentence = "截止到 2020 年 12 月,网民规模达到 9.89 亿,普及率为７０．４％"
    figures = extract_figures(sentence)
    assert [figure.text for figure in figures] == ["2020 年 12 月", "9.89 亿", "７０．４％"]
    assert all(sentence[figure.start : figure.end] == figure.text for figure in figures)
    assert figures[-1].value == pytest.approx(70.4)


def test_qualifier_sits_outside_the_span_and_inside_numbers_stays():
    sentence = "服务用户已超500万,升级迭代十余次"
    assert find(sentence, "500万").qualifier == "more than"
    assert find(sentence, "十余次").value == 10


def test_listed_figures_share_the_qualifier_before_the_list():
    sentence = "员工每年以超过 30% 、40% 的比例增长"
    assert [figure.qualifier for figure in extract_figures(sentence)] == ["more than"] * 2


def test_extraction_is_deterministic():
    sentence = "总营收同比增长11.4%至311亿元"
    assert extract_figures(sentence) == extract_figures(sentence)


def test_dev_gold_meets_the_targets(shared_dir: Path):
    score = score_figures(read_gold(shared_dir / "eval" / "figures_dev.jsonl"))
    assert score.f1 >= 0.95
    assert score.value_accuracy >= 0.97
    assert score.metric_accuracy >= 0.75
    assert score.false_positives <= 2


@pytest.mark.parametrize(
    "huge",
    [
        "亏损" + "9" * 400 + ".5亿元",  # once OverflowError
        "编号" + "9" * 5000 + "亿元",  # past Python's int-string limit: once ValueError
        "一" + "亿" * 2000 + "元",  # a numeral chain: once ValueError
        "3" + "亿" * 5 + "元",
        "营收" + "1" * 30 + "元",
        "百分之" + "1" * 5000,
        "1" * 5000 + "分之一",
    ],
)
def test_numbers_too_large_stay_text_and_the_rest_is_read(huge):
    figures = extract_figures(huge + "，营收311亿元")
    assert [figure.text for figure in figures] == ["311亿元"]


def test_numbers_up_to_24_digits_are_figures():
    assert find("每秒运算10亿亿次", "10亿亿次").value == 10**17
    assert find("合计" + "1" * 24 + "元", "1" * 24 + "元").value == int("1" * 24)


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("1" * 200_000, 0),  # N分之 once retried the rest of a digit run at every digit
        ("一二三" * 22_000, 0),
        # One clause holding thousands of figures (a table flattened into a line):
        # overlap tests and metric lookups once compared every figure with every other.
        ("其中一项业务的收入增长5%并且" * 4_000, 4_000),
        ("5%、" * 3_000, 3_000),
        ("1元，" * 3_000, 3_000),
    ],
)
def test_long_lines_are_read_in_linear_time(line, count):
    assert len(extract_figures(line)) == count


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("该业务营收同比增长-5%", "-5%", -5, "%"),
        ("公司净利润为-3亿元", "-3亿元", -300_000_000, "CNY"),
        ("该业务营收同比增长−5%", "−5%", -5, "%"),  # U+2212 minus sign
        ("该业务营收同比增长－5%", "－5%", -5, "%"),  # full-width hyphen-minus
        ("毛利率同比变动 -0.5个百分点", "-0.5个百分点", -0.5, "pp"),
        ("当日最低气温为-5摄氏度", "-5摄氏度", -5, "°C"),
        ("利润从-3亿元降至-5亿元", "-5亿元", -500_000_000, "CNY"),
        ("增速介于-5%~-3%之间", "-3%", -3, "%"),
    ],
)
def test_minus_signs_make_figures_negative(sentence, text, value, unit):
    figure = find(sentence, text)
    assert (figure.value, figure.unit) == (value, unit)
    assert sentence[figure.start : figure.end] == text


@pytest.mark.parametrize(
    ("sentence", "texts", "values"),
    [
        ("利润下降5%", ["5%"], [5]),  # the verb says down; the number is as written
        ("裁员比例达到20%-40%", ["20%-40%"], [(20, 40)]),
        ("募资规模为3-5亿元", ["3-5亿元"], [(300_000_000, 500_000_000)]),
        ("2023-2024年行业承压", ["2023-2024年"], ["2023/2024"]),
        ("公告于2024-01-05发布", ["2024"], ["2024"]),
        ("营收从5亿元-3亿元不等", ["5亿元", "3亿元"], [500_000_000, 300_000_000]),
        ("占比从40%-20%", ["40%", "20%"], [40, 20]),
        ("排名第1-3名的公司", ["第1", "3名"], [1, 3]),
        ("员工可以获得N-1补偿", [], []),
    ],
)
def test_hyphens_between_numbers_are_not_minus_signs(sentence, texts, values):
    figures = extract_figures(sentence)
    assert [figure.text for figure in figures] == texts
    assert [figure.value for figure in figures] == values


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        ("二〇二四年十三月,公司发布新品", [("二〇二四年", "2024")]),  # once also 三月
        ("2024年13月,公司发布新品", [("2024年", "2024")]),
        ("2024年2月30日,公司发布新品", [("2024年", "2024")]),
        ("2023年2月29日,公司发布新品", [("2023年", "2023")]),  # not a leap year
        ("1900年2月29日,公司发布新品", [("1900年", "1900")]),  # nor is 1900
        ("2024年0月,公司发布新品", [("2024年", "2024")]),
        ("2024年1月0日,公司发布新品", [("2024年", "2024")]),
        ("2024年1月32日,公司发布新品", [("2024年", "2024")]),
        ("2024年4月31日,公司发布新品", [("2024年", "2024")]),
        ("今年2月30日,公司发布新品", []),
        ("3月32日,公司发布新品", []),
        ("三月三十二日,公司发布新品", []),
        # possible dates still are
        ("2024年2月29日,公司发布新品", [("2024年2月29日", "2024-02-29")]),
        ("2000年2月29日,公司发布新品", [("2000年2月29日", "2000-02-29")]),
        ("去年2月29日,公司发布新品", [("去年2月29日", "LAST_YEAR-02-29")]),  # year unknown
        ("三月三十一日,公司发布新品", [("三月三十一日", "XXXX-03-31")]),
        ("2024年12月31日,公司发布新品", [("2024年12月31日", "2024-12-31")]),
        ("十二月二十日,公司发布新品", [("十二月二十日", "XXXX-12-20")]),
    ],
)
def test_impossible_dates_are_not_dates(sentence, dates):
    figures = extract_figures(sentence)
    assert [(figure.text, figure.value) for figure in figures if figure.kind == "date"] == dates
    assert all(figure.kind == "date" for figure in figures)


@pytest.mark.parametrize(
    "sentence",
    ["营收\udcff增长5%", "\ud800营收311亿元", "营收311亿\udcff元,增长5%\ud800"],
)
def test_lone_surrogates_do_not_stop_extraction(sentence):
    figures = extract_figures(sentence)
    assert figures and all(sentence[f.start : f.end] == f.text for f in figures)


def test_a_closing_quote_without_its_opening_one_before_a_bracket():
    # Used to raise (max() of nothing), and the build skipped the whole file.
    figures = extract_figures("企业效益不好”(38.8%)")
    assert [(f.text, f.kind, f.metric) for f in figures] == [("38.8%", "percent", "企业效益不好")]


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("蓝鲸科技營收達到311億元，同比增長11.4%", "蓝鲸科技营收达到311亿元，同比增长11.4%"),
        ("用戶數超過500萬，門店1800個", "用户数超过500万，门店1800个"),
        ("裁員比例達到兩成，補償一個月薪資", "裁员比例达到两成，补偿一个月薪资"),
    ],
)
def test_traditional_text_gives_the_figures_of_its_simplified_form(traditional, simplified):
    read = extract_figures(traditional)
    expected = extract_figures(simplified)
    assert [(f.kind, f.value, f.unit, f.qualifier, f.metric, f.start, f.end) for f in read] == [
        (f.kind, f.value, f.unit, f.qualifier, f.metric, f.start, f.end) for f in expected]
    assert all(f.text == traditional[f.start:f.end] for f in read)  # as the article writes it
    assert read  # 1800個 is no year, 億元 an amount


def test_a_shows_third_season_is_no_quarter():
    assert "date" not in {f.kind for f in extract_figures("《奔跑吧》第三季节目收视率创新高")}
