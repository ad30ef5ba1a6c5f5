"""Ordering names by surname stroke count (姓氏笔画), as elected names are listed.

STROKES holds the simplified-form stroke count of about 250 common surnames (the commonest few hundred
cover the great majority of people). A compound surname (欧阳, 司马, 诸葛...) sorts by its first character,
as printed lists do. Fallback: a surname not in the table sorts after every known one, by code point, and
`unknown_surnames()` lets a page say which names were placed that way so staff can check the order.
Names with the same stroke count keep a stable order by code point, then by the whole name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

_TABLE = {
    2: "丁卜刁",
    3: "于万马卫习弓山",
    4: "王方尹孔毛牛文卞巴车邓尤元仇公贝双韦",
    5: "石白田史卢叶冯包艾甘龙左皮丘司申宁边兰乐代丛冉古",
    6: "刘朱许吕江向任庄汤关祁安伍华齐孙毕邢全米吉成阮曲闫戎伏乔牟纪阳池",
    7: "李杨吴何宋沈杜汪苏邱陆余谷邹张陈严冷时连芦劳励岑应狄佘肖巫邵辛位闵",
    8: "周林罗郑金孟武易范尚季庞屈官竺苗岳欧单宗房郎杭明和幸",
    9: "赵胡俞姜姚施洪柯段侯郝钟贺祝胥费荣宣查娄闻秋项骆柳柏饶",
    10: "徐高唐袁夏钱顾殷倪秦莫柴翁聂耿桂晏凌郭诸陶奚贾涂席",
    11: "黄曹梁萧崔康章盛常麻龚符鹿商阎梅寇隋戚",
    12: "董程彭曾韩傅谢蒋焦舒童温惠覃喻景嵇储鲁葛游植强辜",
    13: "雷路詹鲍解虞窦靳甄褚赖蒲滕",
    14: "蔡谭廖熊管裴缪翟蔺",
    15: "潘黎颜樊",
    16: "薛霍穆燕冀薄",
    17: "戴鞠魏",
    18: "瞿",
}
STROKES: dict[str, int] = {ch: n for n, chars in _TABLE.items() for ch in chars}
UNKNOWN = 99


def surname_strokes(name: str) -> int:
    name = (name or "").strip()
    return STROKES.get(name[:1], UNKNOWN) if name else UNKNOWN


def stroke_key(name: str) -> tuple:
    name = (name or "").strip()
    return (surname_strokes(name), name[:1], name)


def by_surname_strokes(items: Iterable[T], name: Callable[[T], str] = str) -> list[T]:
    return sorted(items, key=lambda item: stroke_key(name(item)))


def unknown_surnames(names: Iterable[str]) -> list[str]:
    return [n for n in names if surname_strokes(n) == UNKNOWN]
