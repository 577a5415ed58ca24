"""The source's proper names are printed as it names them: the Chinese article prints them verbatim.

NAMES is typed by hand from the source article (shared/seeds/000_e3436b8330321f4a.txt), not derived
from data/: every company, cooperative, venue and shop, brand, team, campaign, policy document and
facility it names, in the form the Chinese article must print. Full-width punctuation is restored
where the source's conversion made it half-width (SOURCE_NOTES §B.15). Places that are only
administrative units (districts, counties, towns) are checked by tests/test_article.py.
Run `python tests/test_names.py [article.html]` to list the names an article misses.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from generator.words.plaintext import plain_text

NAMES = [
    # Series introduction
    "上海合作交流",
    # Baoshan
    "曲靖市虹坝优稻农业科技有限公司", "云南滇擎农业科技开发有限公司", "上海黄海制药", "永春乡政府",
    "永春乡拖枝村合作社", "“昆仑第一城”大数据中心", "诺亚新天地", "卜蜂易初莲花超市广场", "淞南公园", "顾村公园",
    "宣威火腿", "宝山援疆教师团队", "微课资源库", "叶城二中", "叶城二中“名师工作室”",
    "“1+1”基础教育互助成长计划", "招聘管家", "宝山区人社局", "携手奔小康",
    # Minhang
    "“闵·泽普青少年手拉手”夏令营", "“闵·香青少年手拉手”夏令营", "新安农副产品中心", "马桥镇展销分中心",
    "上海农科院展销分中心", "闵行区汇宝购物广场", "上海首家“百县百品”专柜", "虹桥电商物流港", "七宝古镇",
    "“一座保山”上海·七宝旗舰店", "消费+公益", "国家扶贫日",
    # Jiading
    "天盛农业发展有限公司", "云南百蒂凯农业发展有限公司", "嘉定区卫生健康委", "“青海久治光明行”医疗队",
    "久治县人民医院", "德钦县人民医院", "远程医疗会诊中心", "远程影像诊断中心", "上海享物公益基金会",
    "“知嘉事·聊嘉情”爱心图书捐赠活动",
    # Jinshan
    "普洱市金山宁洱产业园", "上海强丰", "上海麦隆", "上海泉景农业科技开发有限公司", "澜沧古茶", "金山工业区",
    "《金山区扶贫协作与合作交流专项资金资助企业投资项目实施细则》",
    "《金山区扶贫协作地区特色商品销售项目资助办法（试行）》",
    "《金山区深入开展消费扶贫助力打赢脱贫攻坚战实施方案》",
    "金山区机关美食节", "金山购物节", "景东营销中心", "疗休养+扶贫", "《2018年度东西部扶贫协作协议书》",
    "上海市金山区劳务协作镇沅技能培训基地", "镇沅县深度贫困人口培训中心", "世界青年技能日", "互联网+农产品",
]

# Named in issue 10 as paraphrased away: each must be back.
REQUIRED = ["“一座保山”上海·七宝旗舰店", "闵行区汇宝购物广场", "马桥镇展销分中心", "永春乡拖枝村合作社",
            "上海首家“百县百品”专柜"]

SHARE = 0.90


def article_text(html: str) -> str:
    """The Chinese article as a reader reads it, without white space (a name may wrap)."""
    return re.sub(r"\s+", "", plain_text(html))


def missing(text: str) -> list[str]:
    return [name for name in NAMES if name not in text]


def test_the_hand_list_is_whole_and_has_no_repeats():
    assert len(NAMES) >= 55
    assert len(set(NAMES)) == len(NAMES)
    assert set(REQUIRED) <= set(NAMES)


def test_the_chinese_article_prints_the_sources_names_verbatim(built):
    text = article_text(built.path("zh", "html").read_text(encoding="utf-8"))
    lost = missing(text)
    share = 1 - len(lost) / len(NAMES)
    assert share >= SHARE, f"{share:.0%} of {len(NAMES)} names printed verbatim (at least {SHARE:.0%}); missing: {lost}"
    assert [name for name in REQUIRED if name not in text] == [], f"{share:.0%} printed; missing: {lost}"


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        root / "output" / "zh" / "articles" / "baoshan-minhang-jiading-jinshan.html"
    lost = missing(article_text(path.read_text(encoding="utf-8")))
    print(f"{len(NAMES) - len(lost)}/{len(NAMES)} = {1 - len(lost) / len(NAMES):.1%} printed verbatim")
    for name in lost:
        print("missing:", name)
