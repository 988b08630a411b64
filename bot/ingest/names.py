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


# Common single-character surnames (the most frequent ~120 of 百家姓), in both scripts.
# Two-character surnames: "司马牛" is 司马 + 牛, not the word 司马 and a character.
COMPOUND_SURNAMES = frozenset(
    "司马 司馬 欧阳 歐陽 诸葛 諸葛 公孙 公孫 叔孙 叔孫 东方 東方 上官 夏侯 皇甫 司徒 长孙 長孫 宇文"  # noqa: SIM905
    " 慕容 端木 澹台 公西 南宫 南宮 令狐 尉迟 尉遲 闻人 聞人 轩辕 軒轅 仲孙 仲孫 季孙 季孫".split()
)
SURNAMES = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓"
    "冯馮邓鄧曹彭曾萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸"
    "汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閻段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵"
    "万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章"
    "鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂"
    "成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司"
)


def looks_like_person(text: str) -> bool:
    """A Han name by its shape alone: a common surname and one or two more characters.
    (The ingestor passes a sharper test that also asks jieba's tagger.)"""
    return 2 <= len(text) <= 3 and text[0] in SURNAMES


# Han words that open a clause like a name but are never one person.
NOT_PEOPLE = frozenset(
    [
        "众人",
        "有人",
        "大家",
        "人们",
        "人們",
        "二人",
        "两人",
        "兩人",
        "三人",
        "他们",
        "他們",
        "她们",
        "她們",
        "我们",
        "我們",
        "你们",
        "你們",
        "咱们",
        "咱們",
        "别人",
        "別人",
        "旁人",
        "众位",
        "眾位",
        "大众",
        "大眾",
        "对方",
        "對方",
        "双方",
        "雙方",
        "各方",
        "官方",
        "外界",
        "网友",
        "網友",
        "专家",
        "專家",
        "学者",
        "學者",
        "记者",
        "記者",
        "读者",
        "讀者",
        "观众",
        "觀眾",
        "民众",
        "民眾",
        "公司",
        "政府",
        "媒体",
        "媒體",
        "报道",
        "報道",
        "报告",
        "報告",
    ]
)
