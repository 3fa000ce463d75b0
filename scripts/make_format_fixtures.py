#!/usr/bin/env python3
"""Writes tests/fixtures/html/: government CMS pages rebuilt from the gold seeds.

Each page takes the narrative of a seed report (shared/gold/seeds/NAME.txt: sections 一,
五, 六 and the signature) and rebuilds its three tables from the seed's gold values as
HTML tables with the national template's real merged cells: the 三、本年度办理结果 label
spanning every disposal row, (三)不予公开 over its 8 sub-rows, the 申请人情况 /
法人或其他组织 header over three <tr>, section 四 with 行政复议/行政诉讼 and
未经复议直接起诉/复议后起诉 sub-headers. Cells are wrapped in <p><span> with &nbsp;, the
pages carry CMS <meta> tags, navigation, breadcrumbs, scripts and footers. One page is
GBK (GB18030) bytes declaring charset=utf-8; one has its section 三 table split in two
(as an editor splits a table at a page break). Next to each page, NAME.gold.json copies
the seed's gold values.

Usage: python3 scripts/make_format_fixtures.py [SHARED_DIR]   (default: ../shared)
Deterministic: the same seeds give byte-identical files.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT = os.path.join(REPO, "tests", "fixtures", "html")

# (fixture name, seed id, options)
PAGES = [
    ("h000_gbk_declared_utf8", "000_4626b13c02529857",
     {"encoding": "gb18030", "declared": "utf-8", "container": 'class="TRS_Editor"'}),
    ("h001_blank_cells", "001_106d2ff97eab3ff7",
     {"encoding": "utf-8", "declared": "utf-8", "container": 'id="zoom"'}),
    ("h003_traditional_2021", "003_be91649d0d9c67f4",
     {"encoding": "utf-8", "declared": "UTF-8", "container": 'class="Custom_UnionStyle"',
      "http_equiv": True}),
    ("h004_split_table", "004_fe8339c0c3ff18e6",
     {"encoding": "utf-8", "declared": "utf-8", "container": None, "split": True}),
]

APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution",
              "social_welfare_org", "legal_service_org", "other_org", "total"]

WITHHELD = [
    ("withheld_state_secret", "1．属于国家秘密"),
    ("withheld_prohibited_by_law", "2．其他法律行政法规禁止公开"),
    ("withheld_endangers_security", "3．危及“三安全一稳定”"),
    ("withheld_third_party_rights", "4．保护第三方合法权益"),
    ("withheld_internal_affairs", "5．属于三类内部事务信息"),
    ("withheld_process_info", "6．属于四类过程性信息"),
    ("withheld_enforcement_file", "7．属于行政执法案卷"),
    ("withheld_query_matter", "8．属于行政查询事项"),
]
UNAVAILABLE = [
    ("unavailable_not_held", "1．本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "2．没有现成信息需要另行制作"),
    ("unavailable_still_unclear", "3．补正后申请内容仍不明确"),
]
DECLINED = [
    ("declined_petition", "1．信访举报投诉类申请"),
    ("declined_duplicate", "2．重复申请"),
    ("declined_publication", "3．要求提供公开出版物"),
    ("declined_excessive", "4．无正当理由大量反复申请"),
    ("declined_confirmation", "5．要求行政机关确认或重新出具已获取信息"),
]
OTHER_2021 = [
    ("other_overdue_correction",
     "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "3．其他"),
]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
OUTCOME_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def num(v):
    """A gold value as the page prints it: blank for null, integers without '.0'."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def td(text, rowspan=1, colspan=1, header=False):
    """A cell the way CMS editors save them: <p><span> and &nbsp; around the text."""
    attrs = ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    style = "font-family:宋体" + (";font-weight:bold" if header else "")
    inner = f'&nbsp;<span style="{style}">{text}</span>&nbsp;' if text else "&nbsp;"
    return f'<td{attrs} valign="middle"><p style="text-align:center">{inner}</p></td>'


def tr(*cells):
    return "<tr>" + "".join(cells) + "</tr>"


def table(rows):
    return ('<table border="1" cellspacing="0" cellpadding="0" width="600" '
            'style="border-collapse:collapse">\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>")


def values(gold, section, row, cols):
    return [td(num(gold[section].get(f"{row}.{c}"))) for c in cols]


def proactive_2019(g):
    p = "proactive"
    rows = [
        tr(td("第二十条第（一）项", colspan=4, header=True)),
        tr(td("信息内容"), td("本年新制作数量"), td("本年新公开数量"), td("对外公开总数量")),
        tr(td("规章"), *values(g, p, "regulations", ["made", "published", "total_published"])),
        tr(td("规范性文件"),
           *values(g, p, "normative_documents", ["made", "published", "total_published"])),
        tr(td("第二十条第（五）项", colspan=4, header=True)),
        tr(td("信息内容"), td("上一年项目数量"), td("本年增/减"), td("处理决定数量")),
        tr(td("行政许可"),
           *values(g, p, "administrative_licensing", ["prior_items", "change", "decisions"])),
        tr(td("其他对外管理服务事项"),
           *values(g, p, "other_external_services", ["prior_items", "change", "decisions"])),
        tr(td("第二十条第（六）项", colspan=4, header=True)),
        tr(td("信息内容"), td("上一年项目数量"), td("本年增/减"), td("处理决定数量")),
        tr(td("行政处罚"),
           *values(g, p, "administrative_penalty", ["prior_items", "change", "decisions"])),
        tr(td("行政强制"),
           *values(g, p, "administrative_coercion", ["prior_items", "change", "decisions"])),
        tr(td("第二十条第（八）项", colspan=4, header=True)),
        tr(td("信息内容"), td("上一年项目数量"), td("本年增/减", colspan=2)),
        tr(td("行政事业性收费"),
           *values(g, p, "administrative_fees", ["prior_items"]),
           td(num(g[p].get("administrative_fees.change")), colspan=2)),
        tr(td("第二十条第（九）项", colspan=4, header=True)),
        tr(td("信息内容"), td("采购项目数量"), td("采购总金额", colspan=2)),
    ]
    amount = g[p].get("centralized_procurement.amount_yuan")
    printed = f"{amount / 10000:g} 万元" if amount else num(amount)
    rows.append(tr(td("政府集中采购"), td(num(g[p].get("centralized_procurement.items"))),
                   td(printed, colspan=2)))
    return table(rows)


def proactive_2021(g):
    p = "proactive"
    rows = [
        tr(td("第二十条第（一）项", colspan=4, header=True)),
        tr(td("信息内容"), td("本年制发件数"), td("本年废止件数"), td("现行有效件数")),
        tr(td("规章"), *values(g, p, "regulations", ["issued", "repealed", "in_force"])),
        tr(td("行政规范性文件"),
           *values(g, p, "normative_documents", ["issued", "repealed", "in_force"])),
        tr(td("第二十条第（五）项", colspan=4, header=True)),
        tr(td("信息内容"), td("本年处理决定数量", colspan=3)),
        tr(td("行政许可"), td(num(g[p].get("administrative_licensing.decisions")), colspan=3)),
        tr(td("第二十条第（六）项", colspan=4, header=True)),
        tr(td("信息内容"), td("本年处理决定数量", colspan=3)),
        tr(td("行政处罚"), td(num(g[p].get("administrative_penalty.decisions")), colspan=3)),
        tr(td("行政强制"), td(num(g[p].get("administrative_coercion.decisions")), colspan=3)),
        tr(td("第二十条第（八）项", colspan=4, header=True)),
        tr(td("信息内容"), td("本年收费金额（单位：万元）", colspan=3)),
        tr(td("行政事业性收费"),
           td(num(g[p].get("administrative_fees.amount_10k_yuan")), colspan=3)),
    ]
    return table(rows)


def applications(g, template, split):
    """Section 三; with `split`, two tables cut before (四)无法提供, the 三、本年度办理结果
    column continuing as an empty merged cell in the second part (as Word splits it)."""
    a = "applications"
    v = lambda row: values(g, a, row, APPLICANTS)  # noqa: E731
    other = [("other_handling", None)] if template == "2019" else OTHER_2021
    disposal_rows = 2 + len(WITHHELD) + len(UNAVAILABLE) + len(DECLINED) + len(other) + 1
    head = [
        tr(td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
              rowspan=3, colspan=3),
           td("申请人情况", colspan=7, header=True)),
        tr(td("自然人", rowspan=2), td("法人或其他组织", colspan=5), td("总计", rowspan=2)),
        tr(td("商业企业"), td("科研机构"), td("社会公益组织"), td("法律服务机构"), td("其他")),
        tr(td("一、本年新收政府信息公开申请数量", colspan=3), *v("new_received")),
        tr(td("二、上年结转政府信息公开申请数量", colspan=3), *v("carried_over")),
    ]
    first = 2 + len(WITHHELD)
    result_label = "三、本年度办理结果"
    part1 = [
        tr(td(result_label, rowspan=first if split else disposal_rows),
           td("（一）予以公开", colspan=2), *v("granted")),
        tr(td("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2),
           *v("partly_granted")),
    ]
    for i, (code, label) in enumerate(WITHHELD):
        lead = [td("（三）不予公开", rowspan=len(WITHHELD))] if i == 0 else []
        part1.append(tr(*lead, td(label), *v(code)))
    part2 = []
    for group, title in ((UNAVAILABLE, "（四）无法提供"), (DECLINED, "（五）不予处理")):
        for i, (code, label) in enumerate(group):
            lead = [td(title, rowspan=len(group))] if i == 0 else []
            part2.append(tr(*lead, td(label), *v(code)))
    if template == "2019":
        part2.append(tr(td("（六）其他处理", colspan=2), *v("other_handling")))
    else:
        for i, (code, label) in enumerate(OTHER_2021):
            lead = [td("（六）其他处理", rowspan=len(OTHER_2021))] if i == 0 else []
            part2.append(tr(*lead, td(label), *v(code)))
    part2.append(tr(td("（七）总计", colspan=2), *v("total_processed")))
    tail = [tr(td("四、结转下年度继续办理", colspan=3), *v("carried_forward"))]
    if not split:
        return table(head + part1 + part2 + tail)
    # The first cell of the second part is the continued 三、本年度办理结果 column.
    part2[0] = part2[0].replace("<tr>", "<tr>" + td("", rowspan=disposal_rows - first), 1)
    return table(head + part1) + "\n<p>&nbsp;</p>\n" + table(part2 + tail)


def review(g):
    r = "review_litigation"
    sub = [td(label) for label in OUTCOME_LABELS]
    rows = [
        tr(td("行政复议", colspan=5, header=True), td("行政诉讼", colspan=10, header=True)),
        tr(*[td(label, rowspan=2) for label in OUTCOME_LABELS],
           td("未经复议直接起诉", colspan=5), td("复议后起诉", colspan=5)),
        tr(*sub, *sub),
        tr(*values(g, r, "review", OUTCOMES), *values(g, r, "litigation_direct", OUTCOMES),
           *values(g, r, "litigation_after_review", OUTCOMES)),
    ]
    return table(rows)


MARKUP = re.compile(r"\[bookmark:[^\]]*\]|\*\*|^#+\s*|<(https?://[^>]*)>")


def clean(line):
    line = MARKUP.sub(lambda m: m.group(1) or "", line.strip()).strip()
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def narrative(text):
    """(before, headings, after): paragraphs before section 二, the seed's own headings
    of sections 二/三/四, and the paragraphs from section 五 on. Long paragraphs are cut
    to keep the fixtures small."""
    lines = [clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    start = next(i for i, line in enumerate(lines) if re.match(r"^二、", line))
    end = next(i for i, line in enumerate(lines) if i > start and re.match(r"^五、", line))
    headings = {}
    # A row label like 四、结转下年度继续办理 also starts with 四、: match the heading's words.
    words = {"二": ("主动", "主動"), "三": ("申请", "申請"), "四": ("复议", "復議")}
    for line in lines[start:end]:
        for key, keys in words.items():
            if (line.startswith(key + "、") and any(w in line for w in keys)
                    and key not in headings):
                headings[key] = line
    cut = lambda p: p if len(p) <= 240 else p[:240] + "……"  # noqa: E731
    return [cut(p) for p in lines[:start]], headings, [cut(p) for p in lines[end:]]


def page(name, seed, opts, shared):
    text = open(os.path.join(shared, "gold", "seeds", seed + ".txt"), encoding="utf-8").read()
    gold = json.load(open(os.path.join(shared, "gold", "seeds", seed + ".gold.json"),
                          encoding="utf-8"))
    agency, year, template = gold["agency"], gold["year"], gold["template"]
    title = f"{agency}{year}年政府信息公开工作年度报告"
    before, headings, after = narrative(text)
    # The first seed line is often its title; the page has its own <h1>.
    if before and "报告" in before[0] and len(before[0]) < 60:
        before = before[1:]
    if not any(re.search(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$", p) for p in after[-3:]):
        after += [agency, f"{year + 1}年1月20日"]

    para = lambda p: f'<p style="text-indent:2em">{p}</p>'  # noqa: E731
    body = [para(p) for p in before]
    body.append(f'<p><strong>{headings.get("二", "二、主动公开政府信息情况")}</strong></p>')
    body.append(proactive_2019(gold) if template == "2019" else proactive_2021(gold))
    body.append(f'<p><strong>{headings.get("三", "三、收到和处理政府信息公开申请情况")}</strong></p>')
    body.append(applications(gold, template, opts.get("split", False)))
    body.append(f'<p><strong>{headings.get("四", "四、政府信息公开行政复议、行政诉讼情况")}</strong></p>')
    body.append(review(gold))
    body += [para(p) for p in after[:-2]]
    body += [f'<p style="text-align:right">{p}</p>' for p in after[-2:]]
    article = "\n".join(body)

    if opts.get("http_equiv"):
        charset = f'<meta http-equiv="Content-Type" content="text/html; charset={opts["declared"]}">'
    else:
        charset = f'<meta charset="{opts["declared"]}">'
    site = f"{agency.replace('统计局', '')}人民政府门户网站" if agency.endswith("统计局") else "人民政府门户网站"
    container = opts["container"]
    inner = (f'<div class="article-title"><h1>{title}</h1></div>\n'
             f'<div class="article-info">发布时间：{year + 1}-01-20 &nbsp; 来源：{agency}</div>\n')
    if container:
        inner += f"<div {container}>\n{article}\n</div>\n"
    else:
        inner += article + "\n"
    html = f"""<!DOCTYPE html>
<html>
<head>
{charset}
<title>{title}_{site}</title>
<meta name="SiteName" content="{site}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{year + 1}-01-20 10:30">
<meta name="ContentSource" content="{agency}">
<style>.nav li{{float:left}} td{{border:1px solid #000}}</style>
<script type="text/javascript">var _hmt = _hmt || []; document.write('<div>统计代码</div>');</script>
</head>
<body>
<div class="header-top"><div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
<div class="main">
{inner}</div>
<div id="footer"><p>主办单位：{site} &nbsp; 版权所有</p><p>网站标识码：0000000000 &nbsp; ICP备00000000号</p></div>
<script>window.print && console.log("{year}");</script>
</body>
</html>
"""
    gold_out = dict(gold)
    gold_out["id"] = name
    gold_out.pop("expect_findings", None)
    gold_out["notes"] = (f"HTML page rebuilt from seed {seed}: narrative from the seed text, "
                         f"tables from its gold values with the template's merged cells; "
                         f"encoding {opts['encoding']}, declares {opts['declared']}"
                         + ("; section 三 table split in two" if opts.get("split") else ""))
    return html.encode(opts["encoding"]), gold_out


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(REPO), "shared")
    os.makedirs(OUT, exist_ok=True)
    for name, seed, opts in PAGES:
        data, gold = page(name, seed, opts, shared)
        with open(os.path.join(OUT, name + ".html"), "wb") as f:
            f.write(data)
        with open(os.path.join(OUT, name + ".gold.json"), "w", encoding="utf-8") as f:
            json.dump(gold, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(f"wrote {name}.html ({len(data)} bytes)")


if __name__ == "__main__":
    main()
