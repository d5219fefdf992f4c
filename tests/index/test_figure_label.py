import pytest

from index.figures import Figure, label_figure


def figure(text, metric="", kind="money", value=None, unit=None, qualifier=None) -> Figure:
    return Figure(text, kind, value, unit, qualifier, metric, 0, len(text))


@pytest.mark.parametrize(
    "item, label",
    [
        (figure("311亿元", "总营收", value=31_100_000_000, unit="CNY"), "总营收：311亿元"),
        (figure("八成", "目标完成", kind="ratio", value=80, unit="%"), "目标完成：八成（80%）"),
        (
            figure("十余次", "迭代", kind="count", value=10, unit="times", qualifier="more than"),
            "迭代：十余次（>10次）",
        ),
        (figure("数百亿", value=(1e10, 1e11), unit="CNY"), "数百亿（100亿–1000亿元）"),
        (figure("2024年三季度", kind="date", value="2024-Q3"), "2024年三季度"),
        (figure("1.5亿张", "生成" * 20, kind="count", value=1.5e8), "生成" * 14 + "生…：1.5亿张"),
    ],
)
def test_label_figure(item, label):
    assert label_figure(item) == label
