#!/usr/bin/env python3
"""Generate tests/fixtures/docx/: DOCX, legacy-office and zip fixtures with their answers.

- gold/wusu_stats_2023.docx: the seed report shared/gold/seeds/004_fe8339c0c3ff18e6 (乌苏市
  统计局 2023, 2021 template) as a real Word document: tables with merged cells as Word
  writes them (w:gridSpan for 申请人情况 / 法人或其他组织 / the 一、二、四 row labels / the
  section 四 headers; w:vMerge for 三、本年度办理结果 over all disposal rows, for each
  (三)(四)(五)(六) group over its sub-rows and for the header cells), bookmarks, a tab, a
  line break, a deleted run and a text box. A few values are non-zero so that a misplaced
  column or row is caught; the balance rule holds.
- gold/wusu_stats_2023.gold.json: its gold file (the seed's keys, these values).
- legacy.doc: an OLE compound-file header and junk (expected: failed, ole_unreadable).
- text_report.txt: a short text report (2021 template, tab rows).
- bundle.zip: the DOCX and the text report, under a folder (expected: two reports,
  bundle.zip!/年报/…), plus a directory entry and a __MACOSX fork that are skipped.

Deterministic (fixed timestamps, sorted content): the same script writes the same bytes.
Standard library only. Usage: python3 scripts/make_docx_fixtures.py
"""

import json
import os
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "docx")
GOLD_DIR = os.path.join(OUT, "gold")
NAME = "wusu_stats_2023"
STAMP = (2024, 1, 15, 0, 0, 0)

APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution",
              "social_welfare_org", "legal_service_org", "other_org", "total"]

# Section 三: (code, group label or None, label). A group label starts a vertical merge
# over the following rows with None; "" means the row has no group column (its label
# spans two columns).
DISPOSALS = [
    ("granted", "", "（一）予以公开"),
    ("partly_granted", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("withheld_prohibited_by_law", None, "2.其他法律行政法规禁止公开"),
    ("withheld_endangers_security", None, "3.危及“三安全一稳定”"),
    ("withheld_third_party_rights", None, "4.保护第三方合法权益"),
    ("withheld_internal_affairs", None, "5.属于三类内部事务信息"),
    ("withheld_process_info", None, "6.属于四类过程性信息"),
    ("withheld_enforcement_file", None, "7.属于行政执法案卷"),
    ("withheld_query_matter", None, "8.属于行政查询事项"),
    ("unavailable_not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", None, "2.没有现成信息需要另行制作"),
    ("unavailable_still_unclear", None, "3.补正后申请内容仍不明确"),
    ("declined_petition", "（五）不予处理", "1.信访举报投诉类申请"),
    ("declined_duplicate", None, "2.重复申请"),
    ("declined_publication", None, "3.要求提供公开出版物"),
    ("declined_excessive", None, "4.无正当理由大量反复申请"),
    ("declined_confirmation", None, "5.要求行政机关确认或重新出具已获取信息"),
    ("other_overdue_correction", "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", None,
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", None, "3.其他"),
    ("total_processed", "", "（七）总计"),
]

# Non-zero values (everything else is 0). Per column: new_received + carried_over =
# total_processed + carried_forward; total_processed = sum of the disposal rows; total =
# sum of the applicant columns.
NONZERO = {
    "new_received": {"natural_person": 5, "commercial_enterprise": 2, "other_org": 1},
    "carried_over": {"natural_person": 1},
    "granted": {"natural_person": 3, "commercial_enterprise": 1},
    "withheld_third_party_rights": {"commercial_enterprise": 1},
    "unavailable_not_held": {"other_org": 1},
    "declined_duplicate": {"natural_person": 1},
    "total_processed": {"natural_person": 4, "commercial_enterprise": 2, "other_org": 1},
    "carried_forward": {"natural_person": 2},
}

PROACTIVE = {
    "regulations.issued": 0, "regulations.repealed": 0, "regulations.in_force": 3,
    "normative_documents.issued": 2, "normative_documents.repealed": 0,
    "normative_documents.in_force": 5,
    "administrative_licensing.decisions": 0,
    "administrative_penalty.decisions": 4,
    "administrative_coercion.decisions": 0,
    "administrative_fees.amount_10k_yuan": 1.5,
}

REVIEW_OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
REVIEW = {
    "review": [1, 0, 0, 0, 1],
    "litigation_direct": [0, 2, 0, 0, 2],
    "litigation_after_review": [0, 0, 0, 1, 1],
}


def application_values():
    rows = ["new_received", "carried_over"] + [d[0] for d in DISPOSALS] + ["carried_forward"]
    values = {}
    for row in rows:
        cells = NONZERO.get(row, {})
        nums = [cells.get(a, 0) for a in APPLICANTS[:-1]]
        values[row] = nums + [sum(nums)]
    # The balance rule, checked here so the fixture cannot drift.
    for i in range(7):
        assert (values["new_received"][i] + values["carried_over"][i]
                == values["total_processed"][i] + values["carried_forward"][i])
        assert values["total_processed"][i] == sum(
            values[d[0]][i] for d in DISPOSALS if d[0] != "total_processed")
    return values


# ---------------------------------------------------------------------------------------
# WordprocessingML

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def run(text):
    return f'<w:r><w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def para(*parts, bookmark=None):
    """A paragraph; each part is text or a raw XML fragment marked with a leading '<'."""
    inner = "".join(p if p.startswith("<") else run(p) for p in parts)
    if bookmark is not None:
        bid, bname = bookmark
        inner = (f'<w:bookmarkStart w:id="{bid}" w:name="{bname}"/>' + inner
                 + f'<w:bookmarkEnd w:id="{bid}"/>')
    return f"<w:p>{inner}</w:p>"


def cell(*paras, span=1, vmerge=None, width=800):
    props = f'<w:tcW w:w="{width * span}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    body = "".join(para(p) if not p.startswith("<w:p") else p for p in paras) or "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def row(*cells):
    return f"<w:tr>{''.join(cells)}</w:tr>"


def table(columns, rows):
    grid = "".join('<w:gridCol w:w="800"/>' for _ in range(columns))
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


def num(v):
    return str(v)


def proactive_table():
    v = PROACTIVE
    rows = [
        row(cell("第二十条第（一）项", span=4)),
        row(cell("信息内容"), cell("本年制发件数"), cell("本年废止件数"), cell("现行有效件数")),
        row(cell("规章"), cell(num(v["regulations.issued"])),
            cell(num(v["regulations.repealed"])), cell(num(v["regulations.in_force"]))),
        row(cell("行政规范性文件"), cell(num(v["normative_documents.issued"])),
            cell(num(v["normative_documents.repealed"])),
            cell(num(v["normative_documents.in_force"]))),
        row(cell("第二十条第（五）项", span=4)),
        row(cell("信息内容"), cell("本年处理决定数量", span=3)),
        row(cell("行政许可"), cell(num(v["administrative_licensing.decisions"]), span=3)),
        row(cell("第二十条第（六）项", span=4)),
        row(cell("信息内容"), cell("本年处理决定数量", span=3)),
        row(cell("行政处罚"), cell(num(v["administrative_penalty.decisions"]), span=3)),
        row(cell("行政强制"), cell(num(v["administrative_coercion.decisions"]), span=3)),
        row(cell("第二十条第（八）项", span=4)),
        row(cell("信息内容"), cell("本年收费金额（单位：万元）", span=3)),
        row(cell("行政事业性收费"), cell(num(v["administrative_fees.amount_10k_yuan"]), span=3)),
    ]
    return table(4, rows)


def applications_table(values):
    # Grid: 0 = 三、本年度办理结果, 1 = group label, 2 = sub-item label, 3..9 = applicants.
    def numbers(code):
        return [cell(num(x)) for x in values[code]]

    note = ("<w:p>"
            '<w:bookmarkStart w:id="1" w:name="hmcheck_b3dce21b9b5348c79c180be0c52dd5e9"/>'
            + run("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
            + '<w:bookmarkEnd w:id="1"/></w:p>')
    rows = [
        row(cell(note, span=3, vmerge="restart"), cell("申请人情况", span=7)),
        row(cell(span=3, vmerge="continue"), cell("自然人", vmerge="restart"),
            cell("法人或其他组织", span=5), cell("总计", vmerge="restart")),
        row(cell(span=3, vmerge="continue"), cell(vmerge="continue"),
            cell("商业", "企业"), cell("科研", "机构"), cell("社会公益组织"),
            cell("法律服务机构"), cell("其他"), cell(vmerge="continue")),
        row(cell("一、本年新收政府信息公开申请数量", span=3), *numbers("new_received")),
        row(cell("二、上年结转政府信息公开申请数量", span=3), *numbers("carried_over")),
    ]
    for i, (code, group, label) in enumerate(DISPOSALS):
        first = cell("三、本年度办理结果", vmerge="restart") if i == 0 else cell(vmerge="continue")
        if group == "":
            labels = [cell(label, span=2)]
        elif group is None:
            labels = [cell(vmerge="continue"), cell(label)]
        else:
            labels = [cell(group, vmerge="restart"), cell(label)]
        rows.append(row(first, *labels, *numbers(code)))
    rows.append(row(cell("四、结转下年度继续办理", span=3), *numbers("carried_forward")))
    return table(10, rows)


def review_table():
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        row(cell("行政复议", span=5), cell("行政诉讼", span=10)),
        row(*[cell(h, vmerge="restart") for h in heads],
            cell("未经复议直接起诉", span=5), cell("复议后起诉", span=5)),
        row(*[cell(vmerge="continue") for _ in heads],
            *[cell(h) for h in heads], *[cell(h) for h in heads]),
        row(*[cell(num(x)) for p in ("review", "litigation_direct", "litigation_after_review")
              for x in REVIEW[p]]),
    ]
    return table(15, rows)


def document_xml(values):
    text_box = (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
        + para("（公开版）") +
        "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
        "</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        + para("（公开版）") +
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    body = [
        para("乌苏市统计局2023年政府信息公开", bookmark=(0, "_GoBack")),
        para("工作年度报告", text_box),
        para("根据《中华人民共和国政府信息公开条例》和自治区、地区、市相关规定，特向社会公布乌苏市统计局"
             "2023年度政府信息公开工作年度报告。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
             "如对本报告有疑问，请与市统计局联系，电话：0992—8205822。"),
        para("一、总体情况"),
        para("2023年，乌苏市统计局严格学习贯彻《中华人民共和国政府信息公开条例》有关要求，"
             "不断提升政务公开工作质量。",
             '<w:del w:id="9" w:author="x"><w:r><w:delText>（删除的文字）</w:delText></w:r></w:del>'),
        para("（一）主动公开方面。通过政府门户网站公开政府信息12件，包括统计信息、财政预算决算等。"),
        para("（二）依申请公开方面。2023年，我局收到政府信息公开申请8件。"),
        para("二、主动公开政府信息情况"),
        proactive_table(),
        para("三、收到和处理政府信息公开申请情况"),
        applications_table(values),
        para("四、政府信息公开行政复议、行政诉讼情况"),
        review_table(),
        para("五、存在的主要问题及改进情况"),
        para("一是政府信息公开领域需进一步拓宽。", "<w:r><w:br/></w:r>",
             "二是政府信息公开质量需进一步提高。"),
        para("六、其他需要报告的事项"),
        para("2023年，市统计局未收取信息公开处理费，无其他需要报告的事项。"),
        para("<w:r><w:tab/><w:tab/></w:r>", "乌苏市统计局"),
        para("<w:r><w:tab/><w:tab/></w:r>", "2024年1月15日"),
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps">'
        f"<w:body>{''.join(body)}<w:sectPr/></w:body></w:document>"
    )


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
# A header the reader must not read (body only).
HEADER = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{W}">'
          + para("页眉：不应读入") + "</w:hdr>")


def zip_bytes(members, compress=zipfile.ZIP_DEFLATED):
    """A deterministic zip of (name, bytes) members; a name ending in / is a directory."""
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else compress
            info.external_attr = (0o40755 << 16 | 0x10) if name.endswith("/") else 0o644 << 16
            info.create_system = 3
            z.writestr(info, data)
    return buf.getvalue()


def docx_bytes(values):
    return zip_bytes([
        ("[Content_Types].xml", CONTENT_TYPES.encode()),
        ("_rels/.rels", RELS.encode()),
        ("word/document.xml", document_xml(values).encode()),
        ("word/header1.xml", HEADER.encode()),
    ])


def gold(values):
    apps = {}
    for code in (["new_received", "carried_over"] + [d[0] for d in DISPOSALS]
                 + ["carried_forward"]):
        for a, v in zip(APPLICANTS, values[code]):
            apps[f"{code}.{a}"] = v
    review = {f"{p}.{o}": v for p, vs in REVIEW.items() for o, v in zip(REVIEW_OUTCOMES, vs)}
    return {
        "id": NAME,
        "agency": "乌苏市统计局",
        "year": 2023,
        "template": "2021",
        "kind": "report",
        "published": "2024-01-15",
        "proactive": PROACTIVE,
        "applications": apps,
        "review_litigation": review,
        "notes": "seed 004_fe8339c0c3ff18e6 as a DOCX with merged cells (gridSpan, vMerge); "
                 "some values made non-zero; generated by scripts/make_docx_fixtures.py",
    }


TEXT_REPORT = """某县交通运输局2023年政府信息公开工作年度报告

一、总体情况
2023年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。

二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t1\t0\t4
第二十条第（五）项
信息内容\t本年处理决定数量
行政许可\t12
第二十条第（六）项
信息内容\t本年处理决定数量
行政处罚\t3
行政强制\t0
第二十条第（八）项
信息内容\t本年收费金额（单位：万元）
行政事业性收费\t0

三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况
\t自然人\t法人或其他组织\t总计
\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他
一、本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2
二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0
三、本年度办理结果\t（一）予以公开\t2\t0\t0\t0\t0\t0\t2
（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t0\t0\t0\t0\t0\t0\t0
（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0
2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0
3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0
4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0
5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0
6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0
7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0
8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0
（四）无法提供\t1.本机关不掌握相关政府信息\t0\t0\t0\t0\t0\t0\t0
2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0
3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0
（五）不予处理\t1.信访举报投诉类申请\t0\t0\t0\t0\t0\t0\t0
2.重复申请\t0\t0\t0\t0\t0\t0\t0
3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0
4.无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0
5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0
（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0
2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0
3.其他\t0\t0\t0\t0\t0\t0\t0
（七）总计\t2\t0\t0\t0\t0\t0\t2
四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0

四、政府信息公开行政复议、行政诉讼情况
行政复议\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉
\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0

五、存在的主要问题及改进情况
无。

六、其他需要报告的事项
无。

某县交通运输局
2024年1月20日
"""

# An OLE compound file header (as .doc/.wps/.xls start) followed by junk.
LEGACY = (bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(16)
          + bytes([0x3E, 0x00, 0x03, 0x00, 0xFE, 0xFF, 0x09, 0x00])
          + bytes((i * 37 + 11) % 256 for i in range(2048 - 32)))


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    values = application_values()
    docx = docx_bytes(values)
    write(os.path.join(GOLD_DIR, f"{NAME}.docx"), docx)
    write(os.path.join(GOLD_DIR, f"{NAME}.gold.json"),
          (json.dumps(gold(values), ensure_ascii=False, indent=1) + "\n").encode())
    write(os.path.join(OUT, "legacy.doc"), LEGACY)
    text = TEXT_REPORT.encode()
    write(os.path.join(OUT, "text_report.txt"), text)
    write(os.path.join(OUT, "bundle.zip"), zip_bytes([
        ("年报/", b""),
        (f"年报/{NAME}.docx", docx),
        ("年报/text_report.txt", text),
        ("__MACOSX/年报/._text_report.txt", b"\x00\x05\x16\x07junk"),
    ]))


if __name__ == "__main__":
    main()
