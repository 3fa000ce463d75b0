//! Scraped-page dressing shared by the reader benchmark (`benches/read/main.rs`) and the HTML
//! reader's equivalence test (`src/parse/read/html.rs`): a synthetic report page wrapped in what
//! a government CMS serves around it. Plain Rust, no crate paths, so both can include it.

/// splitmix64: the dressing's own generator, so the synthetic reports are the suite's.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const MENU: [&str; 24] = [
    "首页",
    "政务公开",
    "政务服务",
    "互动交流",
    "走进本地",
    "新闻中心",
    "通知公告",
    "政策文件",
    "政策解读",
    "人事信息",
    "财政资金",
    "规划计划",
    "统计数据",
    "建议提案",
    "应急管理",
    "公共服务",
    "民生保障",
    "重点领域",
    "机构职能",
    "领导信息",
    "法规文件",
    "政府信息公开指南",
    "依申请公开",
    "政府信息公开年报",
];

const HEADLINES: [&str; 8] = [
    "关于印发《2023年政务公开工作要点》的通知",
    "关于进一步加强政府网站和政务新媒体建设管理的实施意见",
    "2023年第三季度政府网站检查情况通报",
    "关于做好2024年元旦春节期间有关工作的通知",
    "政府常务会议研究部署稳增长促发展工作",
    "全市优化营商环境工作推进会召开",
    "关于公开征求《城市绿化管理办法（征求意见稿）》意见的公告",
    "统计局发布2023年国民经济和社会发展统计公报",
];

/// A government CMS page around a synthetic report page, 50–200 KB: what a scraper saves.
/// The report's markup is restyled the way Word-pasted CMS content is, which leaves its
/// text unchanged.
/// A page not in UTF-8 (synth writes some in GBK) is dressed in its own encoding: read with
/// the charset it declares, its frame encoded back the same way.
pub fn cms_page(page: &[u8], rng: &mut Rng) -> Vec<u8> {
    let encoding = page_encoding(page);
    let page = encoding.decode_without_bom_handling(page).0;
    let target = 50 * 1024 + rng.below(150 * 1024);
    let (head, body) = match page.find("<body") {
        Some(at) => (&page[..at], &page[at..]),
        // A fragment or a script-held page: dressed in the same frame, body as it is.
        None => ("", &*page),
    };
    let head = head.replace("</head>", "");
    let head = head.trim_start_matches("<!DOCTYPE html>").trim_start();
    let head = head.strip_prefix("<html>").unwrap_or(head);
    let head = head.strip_prefix("<head>").unwrap_or(head);
    let body = body
        .trim_start_matches(|c| c != '>')
        .trim_start_matches('>')
        .replace("</body>", "")
        .replace("</html>", "");
    let article = word_pasted(&body);

    let mut out = String::with_capacity(target + 8192);
    out.push_str("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n");
    out.push_str(head);
    out.push_str("<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n");
    for i in 0..8 {
        out.push_str(&format!(
            "<link rel=\"stylesheet\" type=\"text/css\" href=\"/images/{i}/style{i}.css?v=20231215\">\n"
        ));
    }
    // The page's own markup (article and frame) first; menus, styles, scripts and
    // lists fill the rest up to the drawn size.
    let rest = target.saturating_sub(article.len() + head.len() + 6 * 1024);
    let fill = |share: usize| rest * share / 100;
    out.push_str("<style type=\"text/css\">\n");
    css(&mut out, fill(15), rng);
    out.push_str("</style>\n<script type=\"text/javascript\">\n");
    javascript(&mut out, fill(25), rng);
    out.push_str("</script>\n</head>\n<body>\n<div class=\"topbar\"><div class=\"w1200\"><span>今天是：<script>document.write(new Date().toLocaleDateString());</script></span><a href=\"javascript:void(0)\" onclick=\"SetHome(this)\">设为首页</a> | <a href=\"#\">加入收藏</a> | <a href=\"#\">无障碍浏览</a> | <a href=\"#\">长者模式</a></div></div>\n");
    out.push_str("<div class=\"header\"><div class=\"logo\"><img src=\"/images/logo.png\" alt=\"人民政府门户网站\"></div><div class=\"search\"><form action=\"/search\" method=\"get\"><input type=\"text\" name=\"q\" placeholder=\"请输入关键词\"><button type=\"submit\">搜索</button></form></div></div>\n<div class=\"nav\"><ul class=\"menu\">\n");
    links(&mut out, fill(25), rng, true);
    out.push_str("</ul></div>\n<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> &gt; <a href=\"/zwgk/ndbg/\">政府信息公开年报</a></div>\n<div class=\"main w1200\">\n<div class=\"xxgk_table\"><table class=\"info\"><tr><td>索引号：</td><td>11330100002489765X/2024-00012</td><td>分类：</td><td>政府信息公开年报</td></tr><tr><td>发布机构：</td><td>办公室</td><td>发文日期：</td><td>2024-01-20</td></tr></table></div>\n<div class=\"article-info\"><span>发布时间：2024-01-20 10:30</span> <span>来源：本站</span> <span>字号：[ <a href=\"javascript:doZoom(16)\">大</a> <a href=\"javascript:doZoom(14)\">中</a> <a href=\"javascript:doZoom(12)\">小</a> ]</span></div>\n<div id=\"zoom\" class=\"TRS_Editor\">\n");
    out.push_str(&article);
    out.push_str("\n</div>\n<div class=\"share\"><span>分享到：</span><a class=\"weixin\" href=\"javascript:;\"></a><a class=\"weibo\" href=\"javascript:;\"></a><a class=\"qzone\" href=\"javascript:;\"></a></div>\n<div class=\"related\"><h3>相关文章</h3><ul>\n");
    links(&mut out, fill(35), rng, false);
    out.push_str("</ul></div>\n</div>\n<div class=\"footer\"><p>主办单位：人民政府办公室 承办单位：大数据中心</p><p>网站标识码：3301000001 <a href=\"https://beian.miit.gov.cn\">浙ICP备05001234号</a> <img src=\"/images/gongan.png\">浙公网安备 33010202000123号</p><p>地址：市民中心 邮编：310000 电话：0571-12345678</p><script type=\"text/javascript\">var _bdhmProtocol = ((\"https:\" == document.location.protocol) ? \" https://\" : \" http://\");document.write(unescape(\"%3Cscript src='\" + _bdhmProtocol + \"hm.baidu.com/h.js%3F0123456789abcdef' type='text/javascript'%3E%3C/script%3E\"));</script></div>\n</body>\n</html>\n");
    encoding.encode(&out).0.into_owned()
}

/// UTF-8 when the bytes are; else the charset the page declares (GB18030 when it declares
/// none, or declares UTF-8 though it is not).
fn page_encoding(page: &[u8]) -> &'static encoding_rs::Encoding {
    if std::str::from_utf8(page).is_ok() {
        return encoding_rs::UTF_8;
    }
    let head = String::from_utf8_lossy(&page[..page.len().min(4096)]).to_ascii_lowercase();
    head.find("charset=")
        .map(|at| {
            head[at + 8..]
                .trim_start_matches(['"', '\''])
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .next()
                .unwrap_or("")
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8 && e.output_encoding() == *e)
        .unwrap_or(encoding_rs::GB18030)
}

/// The report's markup as a CMS editor pastes it from Word: classes and inline styles on
/// every paragraph and cell, text in styled spans.
fn word_pasted(body: &str) -> String {
    body.replace(
        "<p>",
        "<p class=\"MsoNormal\" style=\"text-indent:32pt;line-height:28pt;mso-line-height-rule:exactly\"><span style=\"font-size:16pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体\">",
    )
    .replace("</p>", "</span></p>")
    .replace(
        "<td",
        "<td width=\"73\" valign=\"center\" style=\"width:54.75pt;border:solid windowtext 1.0pt;border-top:none;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt\"",
    )
    .replace(
        "<table border=\"1\">",
        "<table class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"600\" style=\"border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-padding-alt:0cm 5.4pt 0cm 5.4pt\">",
    )
}

fn css(out: &mut String, bytes: usize, rng: &mut Rng) {
    let start = out.len();
    let mut i = 0;
    while out.len() - start < bytes {
        let sel = [
            "div",
            ".nav li",
            ".main .list",
            "#zoom p",
            ".footer a",
            "ul.menu>li>a",
        ];
        out.push_str(&format!(
            ".c{i} {} {{margin:{}px {}px;padding:0 {}px;font-size:{}px;color:#{:06x};line-height:{}px;background:url(/images/bg{}.png) no-repeat center}}\n",
            sel[rng.below(sel.len())],
            rng.below(20),
            rng.below(20),
            rng.below(30),
            12 + rng.below(8),
            rng.next() & 0xFF_FFFF,
            20 + rng.below(20),
            rng.below(50)
        ));
        i += 1;
    }
}

fn javascript(out: &mut String, bytes: usize, rng: &mut Rng) {
    let start = out.len();
    out.push_str("var _hmt = _hmt || [];\n(function(){var hm = document.createElement(\"script\");hm.src = \"https://hm.baidu.com/hm.js?0123456789abcdef\";var s = document.getElementsByTagName(\"script\")[0];s.parentNode.insertBefore(hm, s);})();\n");
    let mut i = 0;
    while out.len() - start < bytes {
        let menu = rng.pick(&MENU);
        out.push_str(&format!(
            "function showTab{i}(n){{for(var i=0;i<{};i++){{var el=document.getElementById('tab{i}_'+i);if(!el)continue;el.className=(i==n)?'on':'';document.getElementById('con{i}_'+i).style.display=(i==n)?'block':'none';}}}}\n\
             var menu{i} = ['{menu}', '/zwgk/{i}/index.html', {}];\n\
             if (window.innerWidth < 768) {{ document.getElementById('nav{i}').innerHTML = '<li class=\"m\"><a href=\"/zwgk/{i}/\">{menu}</a></li>'; }}\n",
            rng.below(6) + 2,
            rng.below(100)
        ));
        i += 1;
    }
}

fn links(out: &mut String, bytes: usize, rng: &mut Rng, menu: bool) {
    let start = out.len();
    let mut i = 0;
    while out.len() - start < bytes {
        let id = rng.next() % 1_000_000;
        if menu {
            let name = rng.pick(&MENU);
            out.push_str(&format!(
                "<li class=\"item{}\"><a href=\"/col/col{id}/index.html\" target=\"_blank\" title=\"{name}\">{name}</a><ul class=\"sub\"><li><a href=\"/col/col{id}/sub{i}.html\">{}</a></li></ul></li>\n",
                i % 9,
                rng.pick(&MENU)
            ));
        } else {
            out.push_str(&format!(
                "<li><span class=\"date\">2023-{:02}-{:02}</span><a href=\"/art/2023/{}/art_{id}.html\" target=\"_blank\" title=\"{h}\">{h}</a></li>\n",
                1 + rng.below(12),
                1 + rng.below(28),
                1 + rng.below(12),
                h = rng.pick(&HEADLINES)
            ));
        }
        i += 1;
    }
}
