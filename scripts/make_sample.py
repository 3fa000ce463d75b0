#!/usr/bin/env python3
"""Generate data/sample/: small, realistic annual reports with their gold files.

Each report NAME.txt comes with data/sample-gold/NAME.gold.json in the format of
shared/gold/README.md (kept apart so that building data/sample lists only reports).
The layouts are those of the seed reports: tab-separated rows (2019 template, procurement
in 万元), pipe rows (2021), one cell per line (2021), space-aligned columns as printed by
`pdftotext -layout` with wrapped labels (2021), traditional characters (2021, pipe rows)
and a GBK-encoded file (2019, tab rows). Values are non-zero and satisfy the balance rule
(new_received + carried_over = total_processed + carried_forward per column, totals =
sum of columns), except in `bad_balance_2021_cells.txt`, which breaks it on purpose.

Deterministic: the same script writes the same bytes. Usage: python3 scripts/make_sample.py
"""

import json
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "sample")
GOLD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "sample-gold")

APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution",
              "social_welfare_org", "legal_service_org", "other_org"]
# Disposal rows of section 三 with their printed labels: (code, group label, label).
DISPOSALS_2021 = [
    ("granted", "", "（一）予以公开"),
    ("partly_granted", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("withheld_prohibited_by_law", "", "2.其他法律行政法规禁止公开"),
    ("withheld_endangers_security", "", "3.危及“三安全一稳定”"),
    ("withheld_third_party_rights", "", "4.保护第三方合法权益"),
    ("withheld_internal_affairs", "", "5.属于三类内部事务信息"),
    ("withheld_process_info", "", "6.属于四类过程性信息"),
    ("withheld_enforcement_file", "", "7.属于行政执法案卷"),
    ("withheld_query_matter", "", "8.属于行政查询事项"),
    ("unavailable_not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "", "2.没有现成信息需要另行制作"),
    ("unavailable_still_unclear", "", "3.补正后申请内容仍不明确"),
    ("declined_petition", "（五）不予处理", "1.信访举报投诉类申请"),
    ("declined_duplicate", "", "2.重复申请"),
    ("declined_publication", "", "3.要求提供公开出版物"),
    ("declined_excessive", "", "4.无正当理由大量反复申请"),
    ("declined_confirmation", "", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_overdue_correction", "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "", "3.其他"),
]
DISPOSALS_2019 = DISPOSALS_2021[:18] + [("other_handling", "", "（六）其他处理")]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]

# Simplified → traditional for the characters the reports use (enough for a sample).
TRAD = {
    "开": "開", "处": "處", "发": "發", "废": "廢", "现": "現", "规": "規", "执": "執",
    "强": "強", "费": "費", "统": "統", "计": "計", "县": "縣", "报": "報", "关": "關",
    "结": "結", "转": "轉", "办": "辦", "总": "總", "诉": "訴", "讼": "訟", "议": "議",
    "审": "審", "纠": "糾", "维": "維", "组": "組", "织": "織", "构": "構", "务": "務",
    "复": "復", "补": "補", "内": "內", "过": "過", "类": "類", "护": "護", "权": "權",
    "益": "益", "确": "確", "认": "認", "获": "獲", "区": "區", "单": "單", "属": "屬",
    "国": "國", "没": "沒", "这": "這", "为": "為", "时": "時", "间": "間", "动": "動",
    "实": "實", "经": "經", "录": "錄", "编": "編", "号": "號", "应": "應", "数": "數",
    "额": "額", "况": "況", "请": "請", "业": "業", "会": "會", "无": "無", "法": "法",
    "当": "當", "理": "理", "由": "由", "量": "量", "反": "反", "重": "重", "销": "銷",
    "执": "執", "级": "級", "态": "態", "严": "嚴", "进": "進", "质": "質", "门": "門",
    "网": "網", "站": "站", "众": "眾", "问": "問", "题": "題", "体": "體", "岛": "島",
    "领": "領", "导": "導", "责": "責", "该": "該", "说": "說", "资": "資", "营": "營",
    "业": "業", "机": "機", "书": "書", "长": "長", "决": "決", "许": "許", "罚": "罰",
    "规": "規", "范": "範", "图": "圖", "宁": "寧", "齐": "齊", "测": "測", "试": "試",
    "点": "點", "项": "項", "预": "預", "协": "協", "调": "調", "产": "產", "环": "環",
    "稳": "穩", "险": "險", "稳": "穩", "险": "險", "专": "專", "万": "萬", "元": "元",
    "编": "編", "与": "與", "规": "規", "续": "續", "叙": "敘", "际": "際", "显": "顯",
    "监": "監", "督": "督", "将": "將", "进": "進", "对": "對", "传": "傳", "达": "達",
}


def trad(text):
    return "".join(TRAD.get(c, c) for c in text)


def applications(rng, template, spread=(0, 9)):
    """A balanced section 三: {row: {applicant: value}} including totals."""
    disposals = DISPOSALS_2019 if template == "2019" else DISPOSALS_2021
    table = {}
    weights = [6, 2, 0, 0, 1, 0]  # most applicants are people, then companies
    new = {a: (rng.randint(3, 20) if w >= 6 else rng.randint(0, w * 2)) for a, w in zip(APPLICANTS, weights)}
    over = {a: (rng.randint(0, 3) if a == "natural_person" else 0) for a in APPLICANTS}
    table["new_received"], table["carried_over"] = new, over
    rows = {code: {a: 0 for a in APPLICANTS} for code, _, _ in disposals}
    forward = {}
    for a in APPLICANTS:
        available = new[a] + over[a]
        forward[a] = min(available, rng.randint(0, 2)) if a == "natural_person" else 0
        left = available - forward[a]
        # Spread what is left over a few likely disposal rows.
        likely = ["granted", "partly_granted", "unavailable_not_held", "withheld_process_info",
                  "declined_duplicate", disposals[-1][0]]
        while left > 0:
            take = rng.randint(1, left)
            rows[rng.choice(likely)][a] += take
            left -= take
    table.update(rows)
    table["total_processed"] = {a: sum(rows[c][a] for c, _, _ in disposals) for a in APPLICANTS}
    table["carried_forward"] = forward
    for row in table.values():
        row["total"] = sum(row[a] for a in APPLICANTS)
    return table


def review(rng):
    table = {}
    for p in PROCEEDINGS:
        row = {o: rng.randint(0, 2) for o in OUTCOMES[:4]}
        row["total"] = sum(row.values())
        table[p] = row
    return table


def row_order(template):
    disposals = DISPOSALS_2019 if template == "2019" else DISPOSALS_2021
    return ["new_received", "carried_over"] + [c for c, _, _ in disposals] + ["total_processed", "carried_forward"]


def gold(meta, template, proactive, apps, rev, notes, layout):
    return {
        "id": meta["id"],
        "layout": layout,
        "kind": "report",
        "agency": meta["agency"],
        "year": meta["year"],
        "template": template,
        "proactive": proactive,
        "applications": {f"{r}.{a}": v for r in row_order(template) for a, v in apps[r].items()},
        "review_litigation": {f"{p}.{o}": rev[p][o] for p in PROCEEDINGS for o in OUTCOMES},
        "notes": notes,
    }


def intro(agency, year):
    return (f"{agency}{year}年政府信息公开工作年度报告\n\n"
            f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告所列数据的统计期限自{year}年1月1日起至"
            f"{year}年12月31日止。如对本报告有疑问，请与{agency}办公室联系。\n\n"
            "一、总体情况\n"
            f"{year}年，{agency}认真贯彻落实政府信息公开工作各项要求，围绕中心工作，及时主动公开统计数据、"
            "统计公报和政策解读，规范依申请公开办理流程，政务公开工作取得新成效。\n\n")


def outro(agency, year):
    return ("五、存在的主要问题及改进情况\n"
            "政策解读形式还不够丰富，下一步将加强图表解读，提升公开质量。\n"
            "六、其他需要报告的事项\n"
            "本年度未收取信息处理费。\n"
            f"{agency}\n{year + 1}年1月20日\n")


APP_HEADER = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况",
              "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def app_rows(template):
    """(code, printed label columns) for section 三 in template order, as tab/pipe rows print them."""
    out = [("new_received", ["一、本年新收政府信息公开申请数量", ""]),
           ("carried_over", ["二、上年结转政府信息公开申请数量", ""])]
    disposals = DISPOSALS_2019 if template == "2019" else DISPOSALS_2021
    for i, (code, group, label) in enumerate(disposals):
        head = "三、本年度办理结果" if i == 0 else ""
        out.append((code, [head, group, label] if (group or code.startswith(("withheld", "unavailable", "declined", "other_")) and code != "other_handling") else [head, label]))
    out.append(("total_processed", ["", "（七）总计"]))
    out.append(("carried_forward", ["四、结转下年度继续办理", ""]))
    return out


def vals(apps, code):
    return [str(apps[code][a]) for a in APPLICANTS + ["total"]]


def review_block(rev, sep):
    head1 = sep.join(["行政复议"] + [""] * 4 + ["行政诉讼"] + [""] * 9)
    head2 = sep.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"] + [""] * 4 + ["复议后起诉"] + [""] * 4)
    head3 = sep.join([""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
    values = sep.join(str(rev[p][o]) for p in PROCEEDINGS for o in OUTCOMES)
    return "\n".join([head1, head2, head3, values]) + "\n"


# --- 1. tab rows, 2019 template, procurement in 万元 ------------------------------------

def tab_2019(rng, meta, encoding_note=""):
    apps, rev = applications(rng, "2019"), review(rng)
    p = {
        "regulations.made": 0, "regulations.published": 0, "regulations.total_published": 0,
        "normative_documents.made": 2, "normative_documents.published": 2, "normative_documents.total_published": 9,
        "administrative_licensing.prior_items": 3, "administrative_licensing.change": 1,
        "administrative_licensing.decisions": 14,
        "other_external_services.prior_items": 5, "other_external_services.change": 0,
        "other_external_services.decisions": 27,
        "administrative_penalty.prior_items": 12, "administrative_penalty.change": 2,
        "administrative_penalty.decisions": 6,
        "administrative_coercion.prior_items": 1, "administrative_coercion.change": 0,
        "administrative_coercion.decisions": 0,
        "administrative_fees.prior_items": 0, "administrative_fees.change": 0,
        "centralized_procurement.items": 7, "centralized_procurement.amount_yuan": 356800.0,
    }
    t = "\t"
    body = "二、主动公开政府信息情况\n\n"
    body += f"第二十条第（一）项{t}{t}{t}\n信息内容{t}本年新制作数量{t}本年新公开数量{t}对外公开总数量\n"
    body += f"规章{t}0{t}0{t}0\n规范性文件{t}2{t}2{t}9\n"
    body += f"第二十条第（五）项{t}{t}{t}\n信息内容{t}上一年项目数量{t}本年增/减{t}处理决定数量\n"
    body += f"行政许可{t}3{t}1{t}14\n其他对外管理服务事项{t}5{t}0{t}27\n"
    body += f"第二十条第（六）项{t}{t}{t}\n信息内容{t}上一年项目数量{t}本年增/减{t}处理决定数量\n"
    body += f"行政处罚{t}12{t}2{t}6\n行政强制{t}1{t}0{t}0\n"
    body += f"第二十条第（八）项{t}{t}{t}\n信息内容{t}上一年项目数量{t}本年增/减{t}\n行政事业性收费{t}0{t}0{t}\n"
    body += f"第二十条第（九）项{t}{t}{t}\n信息内容{t}采购项目数量{t}采购总金额{t}\n政府集中采购{t}7{t}35.68 万元{t}\n\n"
    body += "三、收到和处理政府信息公开申请情况\n\n"
    h = APP_HEADER
    body += f"{h[0]}{t}{t}{h[1]}{t}{t}{t}{t}{t}{t}{h[9]}\n{t}{t}{h[2]}{t}{h[3]}{t}{t}{t}{t}{t}\n"
    body += f"{t}{t}{t}{h[4]}{t}{h[5]}{t}{h[6]}{t}{h[7]}{t}{h[8]}{t}\n"
    for code, labels in app_rows("2019"):
        body += t.join(labels + vals(apps, code)) + "\n"
    body += "\n四、政府信息公开行政复议、行政诉讼情况\n\n" + review_block(rev, t) + "\n"
    text = intro(meta["agency"], meta["year"]) + body + outro(meta["agency"], meta["year"])
    notes = "tab-separated rows, 2019 template; procurement amount printed in 万元 in the cell" + encoding_note
    return text, gold(meta, "2019", p, apps, rev, notes, "tab")


# --- 2021 proactive section, shared by the 2021 layouts -------------------------------

def proactive_2021(rng):
    p = {
        "regulations.issued": 0, "regulations.repealed": 0, "regulations.in_force": 0,
        "normative_documents.issued": rng.randint(1, 6), "normative_documents.repealed": rng.randint(0, 2),
        "normative_documents.in_force": rng.randint(8, 40),
        "administrative_licensing.decisions": rng.randint(10, 900),
        "administrative_penalty.decisions": rng.randint(1, 60),
        "administrative_coercion.decisions": rng.randint(0, 5),
        "administrative_fees.amount_10k_yuan": round(rng.randint(0, 5000) / 100, 2),
    }
    return p


def proactive_rows_2021(p):
    """(printed rows) of section 二, 2021 template, as lists of cells."""
    f = lambda x: f"{x:g}" if isinstance(x, float) else str(x)
    return [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", f(p["regulations.issued"]), f(p["regulations.repealed"]), f(p["regulations.in_force"])],
        ["行政规范性文件", f(p["normative_documents.issued"]), f(p["normative_documents.repealed"]),
         f(p["normative_documents.in_force"])],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", f(p["administrative_licensing.decisions"])],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", f(p["administrative_penalty.decisions"])],
        ["行政强制", f(p["administrative_coercion.decisions"])],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", f(p["administrative_fees.amount_10k_yuan"])],
    ]


# --- 2. pipe rows, 2021 template --------------------------------------------------------

def pipe_2021(rng, meta, convert=lambda s: s, notes="pipe rows, 2021 template"):
    p, apps, rev = proactive_2021(rng), applications(rng, "2021"), review(rng)
    row = lambda cells: " | ".join(cells) + " |"
    body = "二、主动公开政府信息情况\n" + "\n".join(row(r) for r in proactive_rows_2021(p)) + "\n"
    h = APP_HEADER
    body += "三、收到和处理政府信息公开申请情况\n"
    body += row([h[0], h[1]]) + " ||||||||\n" + row([h[2], h[3], h[9]]) + " |||||||\n"
    body += row([h[4], h[5], h[6], h[7], h[8]]) + " |||||\n"
    for code, labels in app_rows("2021"):
        body += row([x for x in labels if x] + vals(apps, code)) + "\n"
    body += "四、政府信息公开行政复议、行政诉讼情况\n"
    body += " | ".join(str(rev[pr][o]) for pr in PROCEEDINGS for o in OUTCOMES).join(
        [row(["行政复议", "行政诉讼"]) + " |||||||||||||\n"
         + row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]) + " ||||||||\n"
         + row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2) + " |||||\n", " |\n"])
    text = intro(meta["agency"], meta["year"]) + body + outro(meta["agency"], meta["year"])
    g = gold(meta, "2021", p, apps, rev, notes, "pipe")
    return convert(text), g


# --- 3. one cell per line, 2021 template (breaks the balance rule) ---------------------

def cells_2021(rng, meta):
    p, apps, rev = proactive_2021(rng), applications(rng, "2021"), review(rng)
    # The printed report is inconsistent: one more application received than handled.
    apps["new_received"]["natural_person"] += 1
    apps["new_received"]["total"] += 1
    body = "二、主动公开政府信息情况\n"
    for r in proactive_rows_2021(p):
        body += "".join(f"\t{c}\n" for c in r) + "\n"
    body += "\n三、收到和处理政府信息公开申请情况\n"
    h = APP_HEADER
    body += f"\t{h[0]}\n\t{h[1]}\n\n\t\n\t{h[2]}\n\t{h[3]}\n\t{h[9]}\n\n\t\n\t\n"
    body += "".join(f"\t{x}\n" for x in h[4:9]) + "\t\n\n"
    for code, labels in app_rows("2021"):
        body += "".join(f"\t{x}\n" for x in labels) + "".join(f"\t{v}\n" for v in vals(apps, code)) + "\n"
    body += "\n四、政府信息公开行政复议、行政诉讼情况\n"
    body += "\t行政复议\n\t行政诉讼\n\n"
    body += "".join(f"\t{x}\n" for x in ["结果维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总\n计",
                                          "未经复议直接起诉", "复议后起诉"]) + "\n"
    body += "".join(f"\t{x}\n" for x in [""] * 5 + ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总\n计"] * 2) + "\n"
    body += "".join(f"\t{rev[pr][o]}\n" for pr in PROCEEDINGS for o in OUTCOMES) + "\n\n"
    text = intro(meta["agency"], meta["year"]) + body + outro(meta["agency"], meta["year"])
    notes = ("one cell per line, tab-indented (Word export), 2021 template; breaks the balance rule on "
             "purpose: natural_person new_received is one more than the rows account for")
    return text, gold(meta, "2021", p, apps, rev, notes, "cell_per_line")


# --- 4. space-aligned columns (pdftotext -layout), wrapped labels, 2021 ----------------

def layout_2021(rng, meta):
    p, apps, rev = proactive_2021(rng), applications(rng, "2021"), review(rng)
    pad = lambda s, n: s + " " * max(1, n - 2 * len(s))
    num = lambda cells: "".join(f"{c:<9}" for c in cells).rstrip()
    body = "      二、主动公开政府信息情况\n"
    for r in proactive_rows_2021(p):
        body += (pad(r[0], 30) + "".join(f"{c:<15}" for c in r[1:])).rstrip() + "\n\n"
    body += "\n      三、收到和处理政府信息公开申请情况\n"
    body += " " * 57 + "申请人情况\n\n"
    body += "（本列数据的勾稽关系为：第一项加第二项之和，" + " " * 18 + "法人或其他组织\n等于第三项加第四项之和）\n"
    body += " " * 31 + "自然人" + " " * 46 + "总计\n"
    body += " " * 40 + "商业企      科研机     社会公益     法律服务\n" + " " * 75 + "其他\n"
    body += " " * 40 + "业        构       组织       机构\n\n\n"
    wrapped = {
        "partly_granted": ("      （二）部分公开（区分处理的，只计这一情", "      形，不计其他情形）"),
        "declined_confirmation": ("               5.要求行政机关确认或重新出", "               具已获取信息"),
        "other_overdue_correction": ("               1.申请人无正当理由逾期不补正、行政", "               机关不再处理其政府信息公开申请"),
        "other_unpaid_fee": ("               2.申请人逾期未按收费通知要求缴纳", "               费用、行政机关不再处理其政府信息公开申请"),
    }
    for code, labels in app_rows("2021"):
        numbers = num(vals(apps, code))
        if code in wrapped:
            first, second = wrapped[code]
            body += f"{first}\n{' ' * 32}{numbers}\n{second}\n\n"
            continue
        label = labels[-1] if labels[-1] else labels[0]
        indent = "" if code in ("new_received", "carried_over", "carried_forward") else "             "
        body += pad(indent + label, 48) + numbers + "\n\n"
    body += "\n     四、政府信息公开行政复议、行政诉讼情况\n"
    body += "行政复议                          行政诉讼\n\n"
    body += "                              未经复议直接起诉                              复议后起诉\n\n"
    body += "结果   结果    其他结    尚未\n                        总计\n"
    body += "                              结 果   结果       其他       尚未            结果   结果    其他   尚未审\n"
    body += "维持   纠正    果      审结\n                                                               总计                           总计\n"
    body += "                              维持    纠正       结果       审结            维持   纠正    结果   结\n\n\n"
    body += "   ".join(f"{rev[pr][o]:<3}" for pr in PROCEEDINGS for o in OUTCOMES).rstrip() + "\n\n\n"
    text = intro(meta["agency"], meta["year"]) + body + outro(meta["agency"], meta["year"])
    notes = "space-aligned columns as printed by pdftotext -layout; long labels wrap around their numbers"
    return text, gold(meta, "2021", p, apps, rev, notes, "layout")


def main():
    for d in (OUT, GOLD):
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            os.remove(os.path.join(d, name))
    rng = random.Random(20240601)
    reports = [
        ("tab_2019_wanyuan", "utf-8", tab_2019(rng, {"id": "tab_2019_wanyuan", "agency": "青山县统计局", "year": 2020})),
        ("pipe_2021", "utf-8", pipe_2021(rng, {"id": "pipe_2021", "agency": "南湖区市场监督管理局", "year": 2022})),
        ("bad_balance_2021_cells", "utf-8",
         cells_2021(rng, {"id": "bad_balance_2021_cells", "agency": "东河县统计局", "year": 2023})),
        ("layout_2021", "utf-8", layout_2021(rng, {"id": "layout_2021", "agency": "西林县人民政府", "year": 2023})),
        ("traditional_2021", "utf-8",
         pipe_2021(rng, {"id": "traditional_2021", "agency": "北山区统计局", "year": 2022}, trad,
                   "pipe rows in traditional characters (agency in gold is simplified), 2021 template")),
        ("gbk_2019", "gbk", tab_2019(rng, {"id": "gbk_2019", "agency": "长乐县统计局", "year": 2021},
                                     "; the file is GBK-encoded")),
    ]
    for name, encoding, (text, g) in reports:
        with open(os.path.join(OUT, name + ".txt"), "wb") as f:
            f.write(text.encode(encoding))
        with open(os.path.join(GOLD, name + ".gold.json"), "w", encoding="utf-8") as f:
            json.dump(g, f, ensure_ascii=False, indent=1)
            f.write("\n")
    print(f"wrote {len(reports)} reports to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
