"""Conversion, glossary, KPI and framework behaviour through real builds of a fixture site."""

import re


def visible_text(html: str) -> str:
    """Text a reader sees in the article (no code, tags or attributes)."""
    article = html.split('<article', 1)[1].split("</article>", 1)[0]
    article = re.sub(r"<(pre|code|script|style)\b.*?</\1>", " ", article, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


def test_fixture_builds_both_scripts(project):
    result = project.build()
    assert result.ok, result.problems
    hant = result.page("index.html")
    hans = result.page("zh-Hans/index.html")
    assert '<html lang="zh-Hant"' in hant
    assert '<html lang="zh-Hans"' in hans
    assert "持份者" in visible_text(hant)
    text = visible_text(hans)
    assert "利益相关方" in text and "信息" in text and "质量" in text and "董事会" in text
    assert "持份者" not in text and "資訊" not in text


def test_code_urls_and_ids_are_untouched(project):
    result = project.build()
    hans = result.page("zh-Hans/index.html")
    assert 'print(' in hans and "持份者 資訊 -{不轉}-" in hans  # fenced code, markup inside kept
    assert '<code>資訊 = "持份者"</code>' in hans
    assert 'src="../pic.svg"' in hans or 'src="pic.svg"' in hans
    # Heading ids come from the source text, so both scripts share them.
    hant = result.page("index.html")
    assert 'id="管治架構"' in hant and 'id="管治架構"' in hans


def test_alt_title_nav_and_meta_are_converted(project):
    result = project.build()
    hans = result.page("zh-Hans/index.html")
    assert 'alt="利益相关方会议的示意图"' in hans
    assert 'title="利益相关方图片"' in hans
    assert '<meta name="description" content="利益相关方信息摘要">' in hans
    assert "<title>首页 - 测试机构报告</title>" in hans
    assert "第二页" in hans  # navigation entry of the other page


def test_markup_keeps_text_and_gives_per_script_text(project):
    result = project.build()
    hans = visible_text(result.page("zh-Hans/page/index.html"))
    hant = visible_text(result.page("page/index.html"))
    assert "持份者 保留" in hans and "简体专用" in hans and "繁體專用" not in hans
    assert "繁體專用" in hant and "简体专用" not in hant and "-{" not in hant


def test_hand_written_simplified_page_wins(project):
    project.write("docs/page.zh-Hans.md",
                  "---\ntitle: 手写页面\n---\n\n# 手写页面\n\n作者亲自写的持份者一词保留。\n")
    result = project.build()
    hans = visible_text(result.page("zh-Hans/page/index.html"))
    assert "作者亲自写的持份者一词保留" in hans


def test_unclosed_markup_is_an_error_with_file_and_line(project):
    project.replace("docs/page.md", "-{持份者}- 保留", "-{持份者 保留")
    result = project.build()
    assert not result.ok
    assert any("docs/page.md:10: '-{' is not closed on this line" in m for m in result.problems)


def test_review_report_lists_substitutions_and_risky_characters(project):
    project.write("docs/risk.md", "---\ntitle: 風險\n---\n\n# 風險\n\n他著有一本書，頭髮乾了。\n")
    result = project.build()
    review = result.page("zh-Hans/conversion-review.html")
    assert "docs/index.md:8" in review and "利益相关方" in review
    assert "docs/risk.md:7" in review and "乾/干" in review
    assert "conversion-review" not in result.page("zh-Hans/index.html")  # not in navigation


def test_reverse_direction_is_one_setting(project):
    # Only csr-convert's source changes: the i18n list still marks zh-Hant as default,
    # and the kit makes the Simplified pages the originals (never Simplified text
    # published as the Traditional site).
    project.replace("mkdocs.yml", "  - csr-convert\n", "  - csr-convert:\n      source: zh-Hans\n"
                    "      regional_quotes: true\n")
    project.write("docs/index.md", "---\ntitle: 首页\n---\n\n# 首页\n\n"
                  "我们通过电子邮件了解利益相关方的需求，"
                  "提高服务质量。他说“好”，英文 “quoted”。\n\n`代码 后`\n")
    project.write("docs/page.md",
                  "---\ntitle: 第二页\n---\n\n# 第二页\n\n头发与发展。{{kpi staff.total}}\n")
    project.replace("mkdocs.yml", "enabled: [gri, demo]", "enabled: [demo]")
    project.write("data/omissions.yml", "")
    # A Simplified source needs Simplified labels only.
    project.replace("data/kpis.yml", "label: {zh-Hant: 培訓時數}", "label: {zh-Hans: 培训时数}")
    result = project.build()
    assert result.ok, result.problems
    assert '<html lang="zh-Hans"' in result.page("index.html")
    hant_html = result.page("zh-Hant/index.html")
    assert '<html lang="zh-Hant"' in hant_html
    hant = visible_text(hant_html)
    assert "電郵" in hant and "持份者" in hant and "瞭解" in hant
    assert "「好」" in hant and "“quoted”" in hant
    assert "代码 后" in hant_html
    assert "頭髮與發展" in visible_text(result.page("zh-Hant/page/index.html"))
    review = result.page("zh-Hant/conversion-review.html")
    assert '<html lang="zh-Hant">' in review and "了/瞭" in review


def test_simplified_source_page_in_traditional_is_an_error(project):
    project.replace("mkdocs.yml", "  - csr-convert\n", "  - csr-convert:\n      source: zh-Hans\n")
    project.replace("data/kpis.yml", "label: {zh-Hant: 培訓時數}",
                    "label: {zh-Hant: 培訓時數, zh-Hans: 培训时数}")
    result = project.build()
    assert not result.ok
    assert any("Traditional character(s)" in m and "docs/index.md" in m for m in result.problems)


def test_wrong_script_characters_are_reported(project):
    project.replace("docs/page.md", "培訓時數", "培训时数")
    result = project.build()
    assert not result.ok
    assert any("docs/page.md:15: Simplified character(s) 训时" in m for m in result.problems)


def test_glossary_first_use_has_english_in_both_scripts(project):
    result = project.build()
    for path, term in (("index.html", "持份者"), ("zh-Hans/index.html", "利益相关方")):
        html = result.page(path)
        found = re.findall(r'<abbr class="csr-term" data-en="stakeholder"[^>]*>' + term, html)
        assert len(found) == 1, path  # first use only


def test_glossary_duplicates_are_errors_with_lines(project):
    project.write("data/glossary.yml", project.read("data/glossary.yml") +
                  "  - zh-Hant: 持份者\n    zh-Hans: 持份方\n    en: stakeholder (again)\n")
    result = project.build()
    assert not result.ok
    assert any("data/glossary.yml:20: '持份者' is defined twice with different Simplified forms"
               in m for m in result.problems), result.problems


def test_glossary_page_in_both_scripts(project):
    project.write("docs/glossary.md", "---\ntitle: 詞彙表\n---\n\n# 詞彙表\n\n{{glossary}}\n")
    result = project.build()
    hant = result.page("glossary/index.html")
    hans = result.page("zh-Hans/glossary/index.html")
    assert "stakeholder" in hant and "利益相关方" in hant and "持份者" in hant
    assert "與機構互相影響的人士" in hant and "与机构互相影响的人士" in hans
    assert re.search(r'<td lang="zh-Hans">.*?利益相关方', hans)
    assert re.search(r'<td lang="zh-Hant">.*?持份者', hans)


def test_language_links_of_home_pages_work_when_the_site_lives_in_a_folder(project):
    """site_url https://example.org/report/: the switcher's links stay inside the site."""
    project.replace("mkdocs.yml", "site_url: https://example.org/",
                    "site_url: https://example.org/report/")
    result = project.build()
    assert result.ok, result.error
    root_home = dict((lang, href) for href, lang in re.findall(
        r'<a href="([^"]*)" hreflang="([^"]+)"', result.page("index.html")))
    simplified_home = dict((lang, href) for href, lang in re.findall(
        r'<a href="([^"]*)" hreflang="([^"]+)"', result.page("zh-Hans/index.html")))
    assert root_home == {"zh-Hant": "./", "zh-Hans": "zh-Hans/"}, root_home
    assert simplified_home == {"zh-Hant": "../", "zh-Hans": "./"}, simplified_home
    # A 404 page is served at any address: its links are absolute, with the folder once.
    not_found = dict((lang, href) for href, lang in re.findall(
        r'<a href="([^"]*)" hreflang="([^"]+)"', result.page("404.html")))
    assert not_found == {"zh-Hant": "/report/", "zh-Hans": "/report/zh-Hans/"}, not_found


def test_download_links_follow_the_downloads_folder(project):
    project.replace("mkdocs.yml", "  - csr-kpi\n",
                    "  - csr-kpi:\n      downloads_dir: data-files\n")
    project.write("docs/page.md", project.read("docs/page.md") + "\n[全部數據](csr:csv)\n")
    result = project.build()
    assert result.ok, result.error
    for page, csv in (("page/index.html", "../data-files/kpi-data.csv"),
                      ("zh-Hans/page/index.html", "../data-files/kpi-data.csv")):
        assert f'href="{csv}"' in result.page(page), page
    assert (result.site / "data-files" / "kpi-data.csv").exists()
    assert (result.site / "zh-Hans" / "data-files" / "kpi-data.csv").exists()
