"""Name shapes shared by the repairs, the speaker table and the turn detectors."""

from __future__ import annotations

import re

from bot.textfold import HAN

# Characters of the standard tables for transliterating foreign names (新华社译名手册),
# the common ones. A "?" between two runs of them is a lost "·", not a question.
TRANSLIT = frozenset(
    "阿埃艾爱安昂奥巴芭邦保鲍贝本比彼毕宾波伯勃博布查达戴黛丹道德登迪蒂丁东杜多厄恩尔法范菲"
    "费芬丰弗福富盖甘冈戈格古圭哈海汉豪赫亨胡华霍基吉加贾杰捷金卡凯坎康考柯科可克肯库奎拉"
    "腊莱赖兰朗劳勒雷蕾里理丽利莉连林琳刘留龙卢鲁伦罗洛玛马迈麦曼梅门蒙米密敏明莫默姆穆纳"
    "娜奈南内妮尼涅宁纽努诺欧帕潘佩彭皮珀普齐奇恰乔切钦琼萨塞赛桑瑟森沙莎尚舍什施史斯松苏"
    "索塔泰坦汤唐特提汀廷图托瓦万威韦维温沃乌西希锡谢辛休雅亚扬耶伊因英尤于约泽扎詹兹茨"
    "蔻芙妮娅历山大得烈夫娃契"
)

# "Jane Doe", "Mary-Ann O'Neil", up to three words, each capitalised.
LATIN_NAME = r"[A-Z][a-z][A-Za-z'-]*(?: [A-Z][a-z][A-Za-z'-]*){1,2}"
LATIN_NAME_RE = re.compile(f"^{LATIN_NAME}$")
# An unknown Latin name in running text, but not a title in 《…》 nor "The Information".
LATIN_NAME_IN_TEXT = f"(?<![《\\w])(?!The |A |An ){LATIN_NAME}(?![\\w》])"
# "中文名(English Name)": a transliteration followed by the name it renders.
NAME_PAIR = re.compile(
    f"(?P<zh>[{HAN}·]{{2,16}})[(（](?P<en>[A-Z][\\w'.-]*(?: [A-Z][\\w'.-]*)+)[)）]"
)


def trim_transliteration(first: str) -> str:
    """The Han run before a name's first "·" may start before the name ("前研究员杰克"
    -> "杰克"): keep the trailing transliteration characters, at least one."""
    k = len(first)
    while k > 0 and first[k - 1] in TRANSLIT:
        k -= 1
    return first[k:] or first[-1:]
