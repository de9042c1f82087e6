"""Issue 12: the regional vocabulary shipped with the kit, its rules in a converter,
and the names no rule may touch."""

from __future__ import annotations

from collections import Counter

import opencc
import pytest
from hypothesis import given, settings, strategies as st

from csr_kit import vocabulary
from csr_kit.convert import names
from csr_kit.convert.engine import Converter, plain
from csr_kit.convert.review import foreign_characters
from csr_kit.convert.wording import wording_rules

DOMAINS = {"office-it", "telecoms-internet", "buildings-facilities", "appliances", "food-drink",
           "transport", "people-hr", "governance", "finance-accounting-law",
           "environment-energy", "health-safety", "community-nonprofit",
           "education-training-events", "connectives"}

# The common Hong Kong wording of each domain that a new report must get in mainland
# wording with no glossary of its own (and the reverse where the pair is two-way).
COMMON = {
    "office-it": [("電郵", "电子邮件"), ("資訊科技", "信息技术"), ("伺服器", "服务器")],
    "telecoms-internet": [("手提電話", "手机"), ("短訊", "短信"), ("網上", "网上")],
    "buildings-facilities": [("升降機", "电梯"), ("冷氣", "空调")],
    "appliances": [("雪櫃", "冰箱")],
    "food-drink": [("午膳", "午餐")],
    "transport": [("的士", "出租车"), ("單車", "自行车")],
    "people-hr": [("僱員", "雇员")],
    "governance": [("持份者", "利益相关方")],
    "finance-accounting-law": [("核數師", "审计师")],
    "environment-energy": [("膠袋", "塑料袋")],
    "health-safety": [("急症室", "急诊室")],
    "community-nonprofit": [("義工", "志愿者")],
    "education-training-events": [("講者", "演讲者")],
    "connectives": [("透過", "通过"), ("年青", "年轻"), ("量度", "测量")],
}


@pytest.fixture(scope="module")
def pack() -> vocabulary.Pack:
    return vocabulary.load()


@pytest.fixture(scope="module")
def hk2s(pack):
    rules, _ = wording_rules("zh-Hant", pack, {}, [], plain("hk2s").convert)
    return Converter("hk2s", rules)


@pytest.fixture(scope="module")
def s2hk(pack):
    rules, _ = wording_rules("zh-Hans", pack, {}, [], plain("s2hk").convert)
    return Converter("s2hk", rules)


def test_every_domain_is_there_with_enough_pairs_each_way(pack):
    assert DOMAINS <= set(pack.domains)
    # Wording pairs only: keep rows (words converted character by character) don't count.
    to_hans = {e.hant for e in pack.entries if e.use in ("both", "to-hans")}
    to_hant = {e.hans for e in pack.entries if e.use in ("both", "to-hant")}
    assert len(to_hans) >= 2000 and len(to_hant) >= 2000
    assert {e.origin for e in pack.entries} <= {"csr-kit", "opencc"}


def test_each_form_is_in_its_own_script(pack):
    wrong = [(e.where, e.hant, e.hans) for e in pack.entries
             if foreign_characters(e.hant, "zh-Hant") or foreign_characters(e.hans, "zh-Hans")]
    assert wrong == []


def test_no_pair_is_a_plain_character_conversion(pack):
    to_hans, to_hant = opencc.OpenCC("hk2s.json").convert, opencc.OpenCC("s2hk.json").convert
    same = [(e.where, e.hant, e.hans) for e in pack.entries if e.use != "keep"
            and (to_hans(e.hant) == e.hans or (e.use in ("both", "to-hant")
                                               and to_hant(e.hans) == e.hant))]
    assert same == []
    # A keep row is exactly the character conversion of its word.
    assert [e.where for e in pack.entries if e.use == "keep" and to_hans(e.hant) != e.hans] == []


def test_pairs_win_over_keep_rows_for_the_same_word(pack):
    rules = vocabulary.Pack([
        vocabulary.Entry(hant="花椰菜", hans="花椰菜", use="keep", origin="csr-kit",
                         domain="a", line=1),
        vocabulary.Entry(hant="椰菜花", hans="花椰菜", use="both", origin="csr-kit",
                         domain="b", line=1)])
    assert rules.rules("zh-Hant")["花椰菜"] == "椰菜花"
    assert rules.rules("zh-Hans")["花椰菜"] == "花椰菜"


def test_one_result_per_word_in_each_direction(pack):
    for target, uses in (("zh-Hans", ("both", "to-hans")), ("zh-Hant", ("both", "to-hant"))):
        source = "zh-Hant" if target == "zh-Hans" else "zh-Hans"
        results: dict[str, set[str]] = {}
        for e in pack.entries:
            if e.use in uses:
                results.setdefault(e.form(source), set()).add(e.form(target))
        assert {w: r for w, r in results.items() if len(r) > 1} == {}, target


def test_no_single_character_rules(pack):
    assert [e.where for e in pack.entries if e.use != "keep" and
            (len(e.hant) < 2 or len(e.hans) < 2) and e.use != "flag"] == []


def test_rows_are_not_repeated(pack):
    counts = Counter((e.hant, e.hans) for e in pack.entries)
    assert [k for k, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("domain", sorted(COMMON))
def test_common_wording_of_each_domain_converts_with_no_glossary(domain, hk2s, s2hk, pack):
    reverse = {e.hans for e in pack.entries if e.use in ("both", "to-hant")}
    for hk, mainland in COMMON[domain]:
        assert mainland in hk2s.convert(f"我們{hk}。"), hk
        if mainland in reverse:
            assert hk in s2hk.convert(f"我们{mainland}。"), mainland


def test_reverse_rules_are_written_out_not_inverted(pack, s2hk):
    # 質素 → 质量 is one-way: 质量 is also 質量 (mass, quality management).
    assert "质量" not in pack.rules("zh-Hant")
    assert s2hk.convert("质量管理体系") in ("質量管理體系", "品質管理體系")


def test_excluding_domains_and_entries(pack):
    fewer = pack.without(domains=["transport"], words=["電郵"])
    assert "的士" not in fewer.rules("zh-Hans") and "電郵" not in fewer.rules("zh-Hans")
    assert "透過" in fewer.rules("zh-Hans")


# --- names ------------------------------------------------------------------------------

def test_titles_and_repeated_organisation_names_are_found():
    pages = ["我們與香港品質保證局合作，香港品質保證局的認證。根據《個人資料（私隱）條例》處理。",
             "職業安全健康局及香港品質保證局。"]
    assert names.titles(pages[0]) == {"個人資料（私隱）條例"}
    assert names.organisations(pages) == {"香港品質保證局"}  # used once: not a name yet


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_no_rule_fires_inside_a_protected_name(pack, data):
    # A name made of words the pack rewrites (e.g. 資訊科技 + 中心) keeps its wording.
    words = sorted(pack.rules("zh-Hans"))
    word = data.draw(st.sampled_from(words))
    suffix = data.draw(st.sampled_from(["中心", "協會", "有限公司", "基金會"]))
    name = f"香港{word}{suffix}"
    before = data.draw(st.sampled_from(["", "我們與", "感謝"]))
    after = data.draw(st.sampled_from(["合作。", "的支持", "，並透過電郵聯絡"]))
    character = plain("hk2s").convert
    rules, _ = wording_rules("zh-Hant", pack, {}, [name], character)
    converted = Converter("hk2s", rules).convert(before + name + after)
    assert character(name) in converted


# --- rows added after the audit of the sample -------------------------------------------

@pytest.mark.parametrize("hk, mainland", [
    ("大堂設有走火警鐘。", "大堂设有火警警铃。"),  # not 逃生警钟 (走火 → 逃生 alone)
    ("我們與業界合作，證券業界亦參與。", "我们与行业合作，证券行业亦参与。"),
    ("企業界、工商業界及專業界別", "企业界、工商业界及专业界别"),
    ("行業界定及作業界面", "行业界定及作业界面"),
    ("本局聘請見習生。", "本局聘请实习生。"),
    ("派發飯盒及愛心飯盒", "发放盒饭及爱心盒饭"),
    ("每人一支支裝蒸餾水", "每人一支瓶装纯净水"),
    ("乘搭專線小巴或小巴士", "乘坐专线小型巴士或小巴士"),
    ("按年資發放年資津貼", "按工龄发放工龄津贴"),
    ("請致電熱線或致電查詢", "请拨打热线或致电咨询"),
])
def test_audited_hong_kong_wording_converts(hk, mainland, hk2s):
    assert hk2s.convert(hk) == mainland


def test_ambiguous_wording_is_flagged_not_converted(pack, hk2s):
    """支援 and 蒸餾水 have a mainland sense of their own: listed for review only."""
    flagged = {e.hant: e.hans for e in pack.entries if e.use == "flag"}
    assert flagged["支援"] == "支持" and flagged["蒸餾水"] == "纯净水"
    assert "支援" not in pack.rules("zh-Hans") and "支援" in pack.regional_words("zh-Hans")
    assert hk2s.convert("支援機構及技術支援") == "支援机构及技术支持"


def test_mainland_one_to_many_characters_get_the_hong_kong_character(s2hk):
    """OpenCC alone writes 併為 and 衝廁; keep rows give the character conversion."""
    assert s2hk.convert("并为员工购买保险，合并为一家公司。") == \
        "並為員工購買保險，合併為一家公司。"
    assert s2hk.convert("浓水用于冲厕") == "濃水用於沖廁"
