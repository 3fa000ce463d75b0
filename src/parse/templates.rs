//! Everything the project knows about the two national templates, as data: row and
//! column codes, the labels reports print for them (with the synonyms and typos seen in
//! real reports), and which measures each section-二 item has in each template.
//!
//! Labels here are written in *matching form*: simplified characters, only Han characters and ASCII
//! letters and digits (no punctuation, no whitespace) and no enumerator (`一、`, `(三)`, `4.`), exactly as
//! [`crate::normalise::match_key`] produces them. Parsing code never spells a label; it
//! asks this module.

use crate::model::Template;

/// A row of section 三.
#[derive(Debug, Clone, Copy)]
pub struct ApplicationRow {
    /// Stable row code.
    pub code: &'static str,
    /// Category for the `applications` table.
    pub category: &'static str,
    /// Labels in matching form; the first is the template's own.
    pub labels: &'static [&'static str],
    /// A label this short is only accepted where the row is expected next (see
    /// [`crate::extract`]); `false` for labels distinctive enough to match anywhere.
    pub weak: bool,
}

/// Section 三 rows in template order. `other_handling` (2019) and the three `other_*`
/// rows (2021) are alternatives; a report prints one or the other.
pub const APPLICATION_ROWS: &[ApplicationRow] = &[
    ApplicationRow {
        code: "new_received",
        category: "intake",
        labels: &["本年新收政府信息公开申请数量", "本年新收"],
        weak: false,
    },
    ApplicationRow {
        code: "carried_over",
        category: "intake",
        labels: &["上年结转政府信息公开申请数量", "上年结转"],
        weak: false,
    },
    ApplicationRow {
        code: "granted",
        category: "granted",
        labels: &["予以公开"],
        weak: false,
    },
    ApplicationRow {
        code: "partly_granted",
        category: "partly_granted",
        labels: &["部分公开区分处理的只计这一情形不计其他情形", "部分公开"],
        weak: false,
    },
    ApplicationRow {
        code: "withheld_state_secret",
        category: "withheld",
        labels: &["属于国家秘密"],
        weak: false,
    },
    ApplicationRow {
        code: "withheld_prohibited_by_law",
        category: "withheld",
        labels: &[
            "其他法律行政法规禁止公开",
            "其他法律行政止公开",
            "其他法律法规禁止公开",
        ],
        weak: false,
    },
    ApplicationRow {
        code: "withheld_endangers_security",
        category: "withheld",
        labels: &["危及三安全一稳定"],
        weak: false,
    },
    ApplicationRow {
        code: "withheld_third_party_rights",
        category: "withheld",
        labels: &["保护第三方合法权益"],
        weak: false,
    },
    ApplicationRow {
        code: "withheld_internal_affairs",
        category: "withheld",
        labels: &["属于三类内部事务信息", "属于三类内容事务信息"],
        weak: false,
    },
    ApplicationRow {
        code: "withheld_process_info",
        category: "withheld",
        labels: &["属于四类过程性信息"],
        weak: false,
    },
    ApplicationRow {
        code: "withheld_enforcement_file",
        category: "withheld",
        labels: &["属于行政执法案卷"],
        weak: false,
    },
    ApplicationRow {
        code: "withheld_query_matter",
        category: "withheld",
        labels: &["属于行政查询事项"],
        weak: false,
    },
    ApplicationRow {
        code: "unavailable_not_held",
        category: "unavailable",
        labels: &["本机关不掌握相关政府信息"],
        weak: false,
    },
    ApplicationRow {
        code: "unavailable_needs_creation",
        category: "unavailable",
        labels: &["没有现成信息需要另行制作"],
        weak: false,
    },
    ApplicationRow {
        code: "unavailable_still_unclear",
        category: "unavailable",
        labels: &["补正后申请内容仍不明确"],
        weak: false,
    },
    ApplicationRow {
        code: "declined_petition",
        category: "declined",
        labels: &["信访举报投诉类申请"],
        weak: false,
    },
    ApplicationRow {
        code: "declined_duplicate",
        category: "declined",
        labels: &["重复申请"],
        weak: false,
    },
    ApplicationRow {
        code: "declined_publication",
        category: "declined",
        labels: &["要求提供公开出版物"],
        weak: false,
    },
    ApplicationRow {
        code: "declined_excessive",
        category: "declined",
        labels: &["无正当理由大量反复申请"],
        weak: false,
    },
    ApplicationRow {
        code: "declined_confirmation",
        category: "declined",
        labels: &["要求行政机关确认或重新出具已获取信息"],
        weak: false,
    },
    ApplicationRow {
        code: "other_handling",
        category: "other",
        labels: &[OTHER_HANDLING],
        weak: false,
    },
    ApplicationRow {
        code: "other_overdue_correction",
        category: "other",
        // Abbreviated in some reports (`1.逾期不补正`, `1.无正当理由逾期不补正`).
        labels: &[
            "申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请",
            "无正当理由逾期不补正行政机关不再处理其政府信息公开申请",
            "逾期不补正行政机关不再处理其政府信息公开申请",
            "申请人逾期不补正行政机关不再处理其政府信息公开申请",
        ],
        weak: false,
    },
    ApplicationRow {
        code: "other_unpaid_fee",
        category: "other",
        // Abbreviated in some reports (`2.逾期未缴费`, `2.逾期未按收费通知缴费`).
        labels: &[
            "申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请",
            "逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请",
            "逾期未缴纳费用行政机关不再处理其政府信息公开申请",
            "逾期未缴费行政机关不再处理其政府信息公开申请",
            "申请人逾期未缴纳费用行政机关不再处理其政府信息公开申请",
            "申请人逾期未缴费行政机关不再处理其政府信息公开申请",
        ],
        weak: false,
    },
    ApplicationRow {
        code: "other_misc",
        category: "other",
        labels: &["其他", "其他情形"],
        weak: true,
    },
    ApplicationRow {
        code: "total_processed",
        category: "total",
        labels: &["总计"],
        weak: true,
    },
    ApplicationRow {
        code: "carried_forward",
        category: "carried_forward",
        labels: &["结转下年度继续办理", "结转下年度"],
        weak: false,
    },
];

/// Words that only one disposal row's label holds, in matching form: a label that a
/// report shortened to its gist (`国家秘密`, `1.不掌握相关政府信息`, `公开出版物`) names its row
/// by them when no template label shares its start.
pub const APPLICATION_KEYWORDS: &[(&str, &[&str])] = &[
    ("withheld_state_secret", &["国家秘密"]),
    ("withheld_prohibited_by_law", &["禁止公开"]),
    (
        "withheld_endangers_security",
        &["三安全一稳定", "经济安全和社会稳定"],
    ),
    ("withheld_third_party_rights", &["第三方合法权益"]),
    ("withheld_internal_affairs", &["内部事务"]),
    ("withheld_process_info", &["过程性信息"]),
    ("withheld_enforcement_file", &["行政执法案卷"]),
    ("withheld_query_matter", &["行政查询事项"]),
    ("unavailable_not_held", &["不掌握"]),
    ("unavailable_needs_creation", &["另行制作", "没有现成信息"]),
    ("unavailable_still_unclear", &["仍不明确", "内容不明确"]),
    ("declined_petition", &["信访", "举报投诉"]),
    ("declined_duplicate", &["重复申请"]),
    ("declined_publication", &["公开出版物"]),
    ("declined_excessive", &["大量反复"]),
    ("declined_confirmation", &["重新出具"]),
    ("other_overdue_correction", &["逾期不补正"]),
    ("other_unpaid_fee", &["缴纳费用", "未缴费", "收费通知"]),
];

/// The 2019 template's 其他处理 row, which the 2021 template prints as a group label over
/// three sub-rows.
pub const OTHER_HANDLING: &str = "其他处理";

/// Labels in section 三 that group rows but carry no cells of their own. They are
/// matched so that they are not mistaken for a (fuzzy) row label.
pub const APPLICATION_GROUP_LABELS: &[&str] = &[
    "本年度办理结果",
    "不予公开",
    "无法提供",
    "不予处理",
    "申请人情况",
    "法人或其他组织",
];

/// The rows whose sum is `total_processed` (the disposal rows), either template.
pub const DISPOSAL_ROWS: &[&str] = &[
    "granted",
    "partly_granted",
    "withheld_state_secret",
    "withheld_prohibited_by_law",
    "withheld_endangers_security",
    "withheld_third_party_rights",
    "withheld_internal_affairs",
    "withheld_process_info",
    "withheld_enforcement_file",
    "withheld_query_matter",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_still_unclear",
    "declined_petition",
    "declined_duplicate",
    "declined_publication",
    "declined_excessive",
    "declined_confirmation",
    "other_handling",
    "other_overdue_correction",
    "other_unpaid_fee",
    "other_misc",
];

/// Section 三 columns, in printed order.
pub const APPLICANTS: &[&str] = &[
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
];

/// Section 四 proceedings, in printed order.
pub const PROCEEDINGS: &[&str] = &["review", "litigation_direct", "litigation_after_review"];

/// Section 四 outcomes, in printed order within each proceeding.
pub const OUTCOMES: &[&str] = &["upheld", "corrected", "other", "pending", "total"];

/// A section-二 item (a row of the proactive-disclosure table).
#[derive(Debug, Clone, Copy)]
pub struct ProactiveItem {
    /// Stable item code.
    pub code: &'static str,
    /// Labels in matching form.
    pub labels: &'static [&'static str],
    /// Measures in printed order under the 2019 template (empty: not in that template).
    pub measures_2019: &'static [&'static str],
    /// Measures in printed order under the 2021 template.
    pub measures_2021: &'static [&'static str],
}

impl ProactiveItem {
    /// The measures this item prints under `template`.
    pub fn measures(&self, template: Template) -> &'static [&'static str] {
        match template {
            Template::T2019 => self.measures_2019,
            Template::T2021 => self.measures_2021,
        }
    }
}

/// Section 二 items in template order.
pub const PROACTIVE_ITEMS: &[ProactiveItem] = &[
    ProactiveItem {
        code: "regulations",
        labels: &["规章"],
        measures_2019: &["made", "published", "total_published"],
        measures_2021: &["issued", "repealed", "in_force"],
    },
    // 规范性档案: a traditional-character mirror rendered 文件 as 檔案 (seen in the corpus).
    ProactiveItem {
        code: "normative_documents",
        labels: &["行政规范性文件", "规范性文件", "规范性档案"],
        measures_2019: &["made", "published", "total_published"],
        measures_2021: &["issued", "repealed", "in_force"],
    },
    ProactiveItem {
        code: "administrative_licensing",
        labels: &["行政许可"],
        measures_2019: &["prior_items", "change", "decisions"],
        measures_2021: &["decisions"],
    },
    ProactiveItem {
        code: "other_external_services",
        labels: &["其他对外管理服务事项"],
        measures_2019: &["prior_items", "change", "decisions"],
        measures_2021: &[],
    },
    ProactiveItem {
        code: "administrative_penalty",
        labels: &["行政处罚"],
        measures_2019: &["prior_items", "change", "decisions"],
        measures_2021: &["decisions"],
    },
    ProactiveItem {
        code: "administrative_coercion",
        labels: &["行政强制"],
        measures_2019: &["prior_items", "change", "decisions"],
        measures_2021: &["decisions"],
    },
    ProactiveItem {
        code: "administrative_fees",
        labels: &["行政事业性收费"],
        measures_2019: &["prior_items", "change"],
        measures_2021: &["amount_10k_yuan"],
    },
    ProactiveItem {
        code: "centralized_procurement",
        labels: &["政府集中采购"],
        measures_2019: &["items", "amount_yuan"],
        measures_2021: &[],
    },
];

/// The unit of a proactive measure in the output table.
pub fn measure_unit(measure: &str) -> &'static str {
    match measure {
        "amount_10k_yuan" => "10k_yuan",
        "amount_yuan" => "yuan",
        _ => "count",
    }
}

/// Section-二 column headers that only the 2021 template prints (matching form).
pub const MEASURE_LABELS_2021: &[&str] = &[
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
];

/// Section-二 column headers that only the 2019 template prints (matching form).
pub const MEASURE_LABELS_2019: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "采购项目数量",
    "采购总金额",
];

/// Section-二 lines that separate item groups or head columns (matching form prefixes).
pub const PROACTIVE_STRUCTURE_LABELS: &[&str] = &["第二十条第", "信息内容"];

/// Reports covering a year up to this one default to the 2019 template when the tables
/// do not show which one they use; later years default to 2021.
pub const LAST_YEAR_OF_2019_TEMPLATE: i32 = 2020;

/// The template a report covering `year` is expected to use.
pub fn template_for_year(year: i32) -> Template {
    if year <= LAST_YEAR_OF_2019_TEMPLATE {
        Template::T2019
    } else {
        Template::T2021
    }
}

/// The words of the section headings and the rows that open each section, in matching
/// form: what [`crate::segment`] and [`crate::unflatten`] find sections by. A heading is
/// known by its words, never by its numeral (reports renumber their sections).
pub mod headings {
    /// Section 一 headings start with one of these.
    pub const OPENING: &[&str] = &["总体情况", "概述", "基本情况", "概况"];
    /// Section 二 headings start with this.
    pub const PROACTIVE: &str = "主动公开";
    /// Section 四 headings hold one of these.
    pub const REVIEW: &[&str] = &["复议", "诉讼"];
    /// Section 三 headings hold [`APPLICATION`] and one of [`APPLICATION_VERBS`].
    pub const APPLICATION: &str = "申请";
    /// See [`APPLICATION`].
    pub const APPLICATION_VERBS: &[&str] = &["收到", "处理", "受理", "办理", "政府信息公开申请"];
    /// Closing sections (五、存在的主要问题…, 六、其他需要报告的事项) hold one of these.
    pub const CLOSING: &[&str] = &["问题", "改进", "其他需要报告", "其他事项", "需要报告"];
    /// Closing headings printed without numeral start with one of these.
    pub const CLOSING_UNNUMBERED: &[&str] =
        &["存在的主要问题", "其他需要报告", "政府信息公开工作存在"];
    /// A heading printed without numeral ends with this word.
    pub const SECTION_END: &str = "情况";
    /// Every heading printed without numeral holds one of these characters (the last of
    /// [`SECTION_END`], of the first two [`OPENING`] words, and one of each
    /// [`CLOSING_UNNUMBERED`] word): a line without any is no such heading, whatever
    /// stands between its characters.
    pub const UNNUMBERED_MARKS: &[char] = &['况', '述', '存', '报'];
    /// Words a heading ends with, when it has to be cut out of a flattened line.
    pub const HEADING_ENDS: &[&str] = &["情况", "事项", "问题"];
    /// Section 三's rows that are printed with `一、`…`四、` like headings: never headings.
    pub const SECTION_THREE_ROWS: &[&str] =
        &["本年新收", "上年结转", "本年度办理结果", "结转下年度"];
    /// A carried-forward row (`四、结转下年度…`): never a closing heading.
    pub const CARRIED_FORWARD: &str = "结转";

    /// Lines (matching form, prefixes) that only section 二's table prints.
    pub const PROACTIVE_ROWS: &[&str] = &[
        "第二十条第",
        "规章",
        "规范性文件",
        "行政规范性文件",
        "行政许可",
        "信息内容",
    ];
    /// Lines that only section 三's table prints.
    pub const APPLICATION_ROWS: &[&str] = &[
        "本年新收",
        "申请人情况",
        "予以公开",
        "上年结转",
        "结转下年度",
        "自然人",
    ];
    /// Words of section 三's column header, as PDF text wraps them (`商业企` / `业`,
    /// `科研机` / `构`): a header printed again after a page break is known by them, so
    /// that its `其他` and `总计` are not taken for rows' labels.
    pub const APPLICANT_HEADER: &[&str] = &[
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "商业企",
        "科研机",
        "社会公益",
        "法律服务",
        "勾稽关系",
    ];
    /// The five organisation columns' headers as PDF text starts them (`商业企` / `业`),
    /// in template order; `其他` is matched whole.
    pub const ORGANISATION_COLUMNS: [&str; 5] =
        ["商业企", "科研机", "社会公益", "法律服务", "其他"];
    /// Lines that only section 四's table prints.
    pub const REVIEW_ROWS: &[&str] = &[
        "行政复议",
        "结果维持",
        "维持",
        "结果纠正",
        "尚未审结",
        "未经复议",
    ];

    /// Where section 二 starts when its heading is missing (a page cut at the top).
    pub const PROACTIVE_START: &str = "第二十条第";
    /// Where section 三 starts when its heading is missing: a line starting with the
    /// first, or holding one of the others.
    pub const APPLICATION_START: (&str, &[&str]) = ("本年新收", &["申请人情况", "勾稽关系"]);
    /// Where section 三 starts on a page that begins inside it (a CMS's second page, a
    /// cut): the first row of its disposal groups printed, as their labels start.
    pub const APPLICATION_MIDDLE: &[&str] = &[
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
    ];
    /// Where section 四 starts when its heading is missing: its header.
    pub const REVIEW_START: &[&str] = &["行政复议行政诉讼", "结果维持", "未经复议直接起诉"];
    /// A section-四 header line that is just this word also starts it.
    pub const REVIEW_START_EXACT: &str = "行政复议";
    /// Section 四's header ends with one of these, right before its fifteen cells.
    pub const REVIEW_HEADER_ENDS: &[&str] = &["总计", "审结"];
    /// The carried-forward row, which ends section 三.
    pub const SECTION_THREE_LAST: &str = "结转下年度";
}

/// The templates as printed: headings, labels with their enumerators and punctuation, and
/// column headers, in template order. The parser matches the forms above; `nianbao synth`
/// prints these.
pub mod printed {
    /// The section headings 二, 三, 四.
    pub const HEADINGS: [&str; 3] = [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ];

    /// Section-三 rows: (code, group label printed on the row's first line or empty, label).
    pub const DISPOSALS_2021: &[(&str, &str, &str)] = &[
        ("granted", "", "（一）予以公开"),
        (
            "partly_granted",
            "",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
        ("withheld_state_secret", "（三）不予公开", "1.属于国家秘密"),
        (
            "withheld_prohibited_by_law",
            "",
            "2.其他法律行政法规禁止公开",
        ),
        ("withheld_endangers_security", "", "3.危及“三安全一稳定”"),
        ("withheld_third_party_rights", "", "4.保护第三方合法权益"),
        ("withheld_internal_affairs", "", "5.属于三类内部事务信息"),
        ("withheld_process_info", "", "6.属于四类过程性信息"),
        ("withheld_enforcement_file", "", "7.属于行政执法案卷"),
        ("withheld_query_matter", "", "8.属于行政查询事项"),
        (
            "unavailable_not_held",
            "（四）无法提供",
            "1.本机关不掌握相关政府信息",
        ),
        (
            "unavailable_needs_creation",
            "",
            "2.没有现成信息需要另行制作",
        ),
        ("unavailable_still_unclear", "", "3.补正后申请内容仍不明确"),
        (
            "declined_petition",
            "（五）不予处理",
            "1.信访举报投诉类申请",
        ),
        ("declined_duplicate", "", "2.重复申请"),
        ("declined_publication", "", "3.要求提供公开出版物"),
        ("declined_excessive", "", "4.无正当理由大量反复申请"),
        (
            "declined_confirmation",
            "",
            "5.要求行政机关确认或重新出具已获取信息",
        ),
        (
            "other_overdue_correction",
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        (
            "other_unpaid_fee",
            "",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("other_misc", "", "3.其他"),
    ];

    /// The 2019 template's single 其他处理 row, in place of the three 2021 sub-rows.
    pub const OTHER_HANDLING_2019: (&str, &str, &str) = ("other_handling", "", "（六）其他处理");

    /// Section-三 rows before and after the disposals: (code, label).
    pub const INTAKE: [(&str, &str); 2] = [
        ("new_received", "一、本年新收政府信息公开申请数量"),
        ("carried_over", "二、上年结转政府信息公开申请数量"),
    ];
    /// The label of the disposal block (三、).
    pub const RESULTS: &str = "三、本年度办理结果";
    /// The total row.
    pub const TOTAL: (&str, &str) = ("total_processed", "（七）总计");
    /// The carried-forward row.
    pub const FORWARD: (&str, &str) = ("carried_forward", "四、结转下年度继续办理");

    /// The corner cell of section 三.
    pub const APPLICATION_CORNER: &str =
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
    /// Section-三 column headers: the group, then the applicant columns in printed order
    /// (自然人, the five 法人或其他组织 columns, 总计).
    pub const APPLICANT_GROUP: &str = "申请人情况";
    /// The organisations' group header.
    pub const ORGANISATIONS: &str = "法人或其他组织";
    /// The first word of each applicant column's header as PDF text wraps it (`自然` /
    /// `人`, `商业` / `企业`): where it stands places a row's numbers printed with blanks.
    pub const APPLICANT_HEADER_STARTS: [&str; 7] =
        ["自然", "商业", "科研", "社会", "法律", "其他", "总计"];
    /// The seven applicant columns.
    pub const APPLICANT_HEADERS: [&str; 7] = [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ];

    /// Section 四: the two proceedings' headers, the litigation sub-headers and the outcomes.
    pub const REVIEW: &str = "行政复议";
    /// See [`REVIEW`].
    pub const LITIGATION: &str = "行政诉讼";
    /// See [`REVIEW`].
    pub const LITIGATION_KINDS: [&str; 2] = ["未经复议直接起诉", "复议后起诉"];
    /// See [`REVIEW`].
    pub const OUTCOMES: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

    /// One group of section 二: its 第二十条 clause, column headers and items with measures.
    pub struct ProactiveGroup {
        /// `第二十条第（一）项`.
        pub clause: &'static str,
        /// Column headers after 信息内容.
        pub headers: &'static [&'static str],
        /// (item code, printed label, measure codes in column order).
        pub items: &'static [(&'static str, &'static str, &'static [&'static str])],
    }

    /// Section 二 of the 2019 template.
    pub const PROACTIVE_2019: &[ProactiveGroup] = &[
        ProactiveGroup {
            clause: "第二十条第（一）项",
            headers: &["本年新制作数量", "本年新公开数量", "对外公开总数量"],
            items: &[
                (
                    "regulations",
                    "规章",
                    &["made", "published", "total_published"],
                ),
                (
                    "normative_documents",
                    "规范性文件",
                    &["made", "published", "total_published"],
                ),
            ],
        },
        ProactiveGroup {
            clause: "第二十条第（五）项",
            headers: &["上一年项目数量", "本年增/减", "处理决定数量"],
            items: &[
                (
                    "administrative_licensing",
                    "行政许可",
                    &["prior_items", "change", "decisions"],
                ),
                (
                    "other_external_services",
                    "其他对外管理服务事项",
                    &["prior_items", "change", "decisions"],
                ),
            ],
        },
        ProactiveGroup {
            clause: "第二十条第（六）项",
            headers: &["上一年项目数量", "本年增/减", "处理决定数量"],
            items: &[
                (
                    "administrative_penalty",
                    "行政处罚",
                    &["prior_items", "change", "decisions"],
                ),
                (
                    "administrative_coercion",
                    "行政强制",
                    &["prior_items", "change", "decisions"],
                ),
            ],
        },
        ProactiveGroup {
            clause: "第二十条第（八）项",
            headers: &["上一年项目数量", "本年增/减"],
            items: &[(
                "administrative_fees",
                "行政事业性收费",
                &["prior_items", "change"],
            )],
        },
        ProactiveGroup {
            clause: "第二十条第（九）项",
            headers: &["采购项目数量", "采购总金额"],
            items: &[(
                "centralized_procurement",
                "政府集中采购",
                &["items", "amount_yuan"],
            )],
        },
    ];

    /// Section 二 of the 2021 template.
    pub const PROACTIVE_2021: &[ProactiveGroup] = &[
        ProactiveGroup {
            clause: "第二十条第（一）项",
            headers: &["本年制发件数", "本年废止件数", "现行有效件数"],
            items: &[
                ("regulations", "规章", &["issued", "repealed", "in_force"]),
                (
                    "normative_documents",
                    "行政规范性文件",
                    &["issued", "repealed", "in_force"],
                ),
            ],
        },
        ProactiveGroup {
            clause: "第二十条第（五）项",
            headers: &["本年处理决定数量"],
            items: &[("administrative_licensing", "行政许可", &["decisions"])],
        },
        ProactiveGroup {
            clause: "第二十条第（六）项",
            headers: &["本年处理决定数量"],
            items: &[
                ("administrative_penalty", "行政处罚", &["decisions"]),
                ("administrative_coercion", "行政强制", &["decisions"]),
            ],
        },
        ProactiveGroup {
            clause: "第二十条第（八）项",
            headers: &["本年收费金额（单位：万元）"],
            items: &[(
                "administrative_fees",
                "行政事业性收费",
                &["amount_10k_yuan"],
            )],
        },
    ];
}
