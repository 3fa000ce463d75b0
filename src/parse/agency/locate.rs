//! Finding the places in a name: division names longest-first with the rules of the
//! module doc (where a short form, a two-character name or an `X区` may count), the
//! township that may follow them, the hints that decide between same-named places, and
//! the placement that results.

use super::gazetteer::{
    townships, Div, Entry, Gazetteer, Township, Townships, Via, LEVELS, PREFECTURE, PROVINCE,
    TOWNSHIPS_LISTED, TOWNSHIP_CONTINUED, TOWNSHIP_ENDINGS,
};
use super::name::{department_follows, without_trailing_paren};
use super::{is_national, Placed, ZONE_WORDS};

/// Whether `d` is `a` or lies inside it.
fn within(a: &Div, d: &Div) -> bool {
    a.code == d.code
        || (a.rank == PROVINCE && d.province_code == a.code)
        || (a.rank == PREFECTURE && d.prefecture_code == a.code)
}

/// Whether a row of `parent` contains a row of `child`.
pub(super) fn contains(g: &Gazetteer, parent: &Entry, child: &Entry) -> bool {
    child
        .rows(false)
        .any(|r| parent.rows(false).any(|a| within(&g.divs[a], &g.divs[r])))
}

pub(super) struct Token {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) entry: &'static Entry,
}

/// The longest acceptable division name starting at byte `i`; `after_division` when a
/// division name ends right there (or a short form before it is being checked).
fn token_at(g: &'static Gazetteer, s: &str, i: usize, after_division: bool) -> Option<Token> {
    for &len in &g.key_lens {
        let Some((key, entry)) = s.get(i..i + len).and_then(|k| g.keys.get_key_value(k)) else {
            continue;
        };
        let ok = match entry.via {
            Via::Name if key.chars().count() == 2 => {
                after_division || (i == 0 && !key.ends_with('区'))
            }
            Via::Name | Via::Alias | Via::Zone => true,
            // `湛江经济技术开发区`: a zone named after its city lies in it.
            Via::Short => {
                let rest = &s[i + len..];
                // `中国(上海)自由贸易试验区`: the place a zone is in, in brackets.
                let rest = match rest.strip_prefix([')', '）']) {
                    Some(after) if s[..i].ends_with(['(', '（']) => after,
                    _ => rest,
                };
                // `国家金融监督管理总局湖州监管分局`, `中国证监会浙江监管局`: a national
                // regulator's office in a place.
                let national_office = ["国家", "中国"].iter().any(|p| s.starts_with(p))
                    && ["监管", "调查"].iter().any(|w| rest.starts_with(w));
                department_follows(g, rest)
                    || national_office
                    || ZONE_WORDS.iter().any(|z| rest.starts_with(z))
                    || token_at(g, s, i + len, true).is_some_and(|t| contains(g, entry, t.entry))
            }
        };
        if ok {
            return Some(Token {
                start: i,
                end: i + len,
                entry,
            });
        }
    }
    None
}

pub(super) fn scan(g: &'static Gazetteer, s: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let prev = out.last().filter(|t| t.end == i);
        // `济南市中区`: the 市 that ends a city also begins its district (市中区, 市南区).
        let overlap = prev.filter(|_| s[..i].ends_with('市')).and_then(|p| {
            let t = token_at(g, s, i - '市'.len_utf8(), true)?;
            (t.end - t.start > 6 && contains(g, p.entry, t.entry)).then_some(t)
        });
        match overlap.or_else(|| token_at(g, s, i, prev.is_some())) {
            Some(t) => {
                i = t.end;
                out.push(t);
            }
            // `…驻北京办事处`: what follows names where an office sits, not whose it is.
            None if s[i..].starts_with('驻') => break,
            None => i += s[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// The deepest divisions every match lies on the path to, one row per code.
fn candidates(g: &Gazetteer, tokens: &[Token], history: bool) -> Vec<usize> {
    let on_path = |r: usize| {
        let d = &g.divs[r];
        tokens
            .iter()
            .all(|t| t.entry.rows(history).any(|a| within(&g.divs[a], d)))
    };
    let mut out: Vec<usize> = tokens
        .iter()
        .flat_map(|t| t.entry.rows(history))
        .filter(|&r| on_path(r))
        .collect();
    let deepest = out.iter().map(|&r| g.divs[r].rank).max();
    out.retain(|&r| Some(g.divs[r].rank) == deepest);
    out.sort_by_key(|&r| (g.divs[r].code, !g.divs[r].current));
    out.dedup_by_key(|r| g.divs[*r].code);
    out
}

/// The one candidate the hints point at most strongly, with the hint's label and what
/// matched: the candidate itself named (`昌图县`, for townships of one name in several
/// counties) first, then its prefecture named, then its province.
fn decide_by_hints(
    g: &'static Gazetteer,
    cands: &[usize],
    hints: &[&str],
) -> Option<(usize, String)> {
    let names = |code: &str| {
        let a = g.by_code.get(code).map(|&r| &g.divs[r]);
        a.into_iter()
            .flat_map(|a| [(a.name, true), (a.short.unwrap_or(a.name), false)])
    };
    // A short form only where a word may begin: `浙江西湖区` does not name 江西.
    let hit = |code: &str, hint: &str| {
        let mut found = names(code).filter(|&(n, full)| {
            hint.match_indices(n)
                .any(|(at, _)| full || word_starts(hint, at))
        });
        found.next().map(|(n, _)| n)
    };
    // The candidate's own name where a word begins, or right after a parent's name
    // (`济南市市中区`, shown as that parent's): `宁县` is not named by `永宁县`.
    let own = |d: &Div, hint: &str| -> Option<&'static str> {
        let parent_before = |before: &str| {
            [d.prefecture_code, d.province_code]
                .iter()
                .flat_map(|c| names(c))
                .find(|(n, _)| before.ends_with(n))
                .map(|(n, _)| n)
        };
        names(d.code).find_map(|(n, full)| {
            hint.match_indices(n).find_map(|(at, _)| {
                if word_starts(hint, at) {
                    Some(n)
                } else {
                    parent_before(&hint[..at]).filter(|_| full)
                }
            })
        })
    };
    let label = |hint: &str| {
        if hint.contains(['/', '\\']) {
            "path"
        } else {
            "hint"
        }
    };
    let score = |d: &Div, hint: &str| {
        let found = match d.rank {
            PROVINCE => None,
            PREFECTURE => hit(d.province_code, hint).map(|n| (1, n)),
            _ => hit(d.prefecture_code, hint)
                .map(|n| (2, n))
                .or_else(|| hit(d.province_code, hint).map(|n| (1, n))),
        };
        found.map(|(s, n)| (s, format!("+{}:{n}", label(hint))))
    };
    let scored: Vec<((bool, u8), usize, String)> = cands
        .iter()
        .filter_map(|&c| {
            let d = &g.divs[c];
            let named = hints
                .iter()
                .find_map(|h| own(d, h).map(|n| format!("+{}:{n}", label(h))));
            let best = hints.iter().filter_map(|h| score(d, h)).max_by_key(|x| x.0);
            match (named, best) {
                (Some(own), best) => Some(((true, best.map_or(0, |b| b.0)), c, own)),
                (None, Some((s, e))) => Some(((false, s), c, e)),
                (None, None) => None,
            }
        })
        .collect();
    let best = scored.iter().map(|x| x.0).max()?;
    let mut top = scored.into_iter().filter(|x| x.0 == best);
    let (_, c, evidence) = top.next()?;
    top.next().is_none().then_some((c, evidence))
}

/// A township's name found in an agency's name.
pub(super) struct TownToken {
    pub(super) start: usize,
    pub(super) end: usize,
    /// The first township of that name (see [`Townships::chain`]).
    pub(super) first: u32,
}

/// The township's name where one may begin: at the start, or right after a division's
/// name (and its `人民政府`: `西湖区人民政府北山街道办事处`). The first such place wins, with
/// the longest name there that does not run on into a longer word or division name.
pub(super) fn township_at(t: &Townships, text: &str, tokens: &[Token]) -> Option<TownToken> {
    let mut starts = vec![0];
    for k in tokens {
        starts.push(k.end);
        let government = ["人民政府", "政府"].into_iter();
        let after = government
            .filter(|w| text[k.end..].starts_with(w))
            .map(|w| k.end + w.len());
        starts.extend(after.take(1));
    }
    starts.sort_unstable();
    starts.dedup();
    for start in starts {
        let rest = &text[start..];
        let ends = rest.char_indices().map(|(i, c)| i + c.len_utf8());
        // Longest first; only where a township's ending ends, so few look-ups are made.
        let mut ends: Vec<usize> = ends
            .take_while(|&e| e <= t.max_len)
            .filter(|&e| TOWNSHIP_ENDINGS.iter().any(|w| rest[..e].ends_with(w)))
            .collect();
        ends.reverse();
        for len in ends {
            let end = start + len;
            let Some(first) = t.named(&rest[..len]) else {
                continue;
            };
            let continued = text[end..].starts_with(TOWNSHIP_CONTINUED);
            let crossed = tokens.iter().any(|k| k.start < end && k.end > end);
            if !continued && !crossed {
                return Some(TownToken { start, end, first });
            }
        }
    }
    None
}

/// The provinces (in full, or short where a word may begin) and prefectures (in full)
/// the hints name: a bare township's name lying in none of them may be a former
/// township of that other place.
pub(super) fn places_named(g: &Gazetteer, t: &Townships, hints: &[&str]) -> Vec<usize> {
    let named = |a: &Div| {
        let short = a.short.filter(|_| a.rank == PROVINCE);
        hints.iter().any(|hint| {
            hint.contains(a.name)
                || short.is_some_and(|s| hint.match_indices(s).any(|(at, _)| word_starts(hint, at)))
        })
    };
    let places = t.places.iter().copied();
    places.filter(|&r| named(&g.divs[r])).collect()
}

/// A word may begin at byte `at` of `s`: no Han character before it (`浙江西湖区` does not
/// name 江西).
fn word_starts(s: &str, at: usize) -> bool {
    let before = s[..at].chars().next_back();
    !before.is_some_and(|c| ('\u{3400}'..='\u{9fff}').contains(&c))
}

/// `a+b` for the names found apart (`杭州市西湖区+北山街道`), from their byte spans.
fn join_spans(text: &str, mut spans: Vec<(usize, usize)>) -> String {
    spans.sort_unstable();
    let (mut out, mut end) = (String::new(), 0);
    for (start, to) in spans {
        if end > 0 && start > end {
            out.push('+');
        }
        out.push_str(&text[start.max(end)..to]);
        end = to;
    }
    out
}

pub(super) fn locate(g: &'static Gazetteer, name: &str, hints: &[&str], p: &mut Placed) {
    // A trailing parenthetical is an alias or a note and may name another place.
    let mut text = without_trailing_paren(name);
    let mut tokens = scan(g, text);
    if tokens.is_empty() && text.len() != name.len() {
        text = name;
        tokens = scan(g, text);
    }
    let xinjiang = |t: &Token| t.entry.rows(true).all(|r| g.divs[r].code == "650000");
    if name.contains("兵团") && tokens.iter().all(xinjiang) {
        p.level = Some("provincial");
        p.province = Some("新疆生产建设兵团".to_string());
        p.division_code = g.by_code.get("660000").map(|_| "660000".to_string());
        p.evidence = "name:兵团".to_string();
        return;
    }
    // Most agencies name no township: those do not wait for the townships to load.
    let maybe_town = TOWNSHIP_ENDINGS.iter().any(|e| text.contains(e));
    let town = maybe_town
        .then(|| township_at(townships(), text, &tokens))
        .flatten();
    if let Some(w) = &town {
        // A division's name inside the township's (`西城区街道` of 定州市) is part of it.
        tokens.retain(|k| k.end <= w.start || k.start >= w.end);
    }
    if tokens.is_empty() && town.is_none() {
        // `国家统计局吉林调查总队`: a national system's office in a place whose short form
        // two divisions share is somewhere, not national.
        let shared = g.shared_short.iter().find(|s| {
            text.match_indices(s.as_str())
                .any(|(at, _)| at > 0 && department_follows(g, &text[at + s.len()..]))
        });
        if let Some(s) = shared {
            p.ambiguous = true;
            p.evidence = format!("ambiguous:{s}");
            return;
        }
        if is_national(name) {
            p.level = Some("national");
            p.evidence = "national".to_string();
        }
        return;
    }
    let spans: Vec<(usize, usize)> = tokens.iter().map(|t| (t.start, t.end)).collect();
    let mut history = false;
    let mut cands = Vec::new();
    if !tokens.is_empty() {
        cands = candidates(g, &tokens, false);
        if cands.is_empty() {
            history = true;
            cands = candidates(g, &tokens, true);
        }
        if cands.is_empty() {
            p.ambiguous = true;
            p.evidence = format!("inconsistent:{}", join_spans(text, spans));
            return;
        }
    }
    // The townships of that name inside every division named.
    let mut fits: Vec<&Township> = town
        .iter()
        .flat_map(|w| townships().chain(w.first))
        .collect();
    fits.retain(|r| {
        let parent = &g.divs[r.parent];
        tokens
            .iter()
            .all(|k| k.entry.rows(history).any(|a| within(&g.divs[a], parent)))
    });
    let mut printed = join_spans(text, spans.clone());
    let (mut township, mut by_hint) = (None, String::new());
    let at_township = !fits.is_empty();
    if let (Some(w), true) = (&town, at_township) {
        p.level = Some("township");
        let mut all = spans;
        all.push((w.start, w.end));
        printed = join_spans(text, all);
        if tokens.is_empty() {
            let before = fits.clone();
            let named = places_named(g, townships(), hints);
            if !named.is_empty() {
                let inside =
                    |r: &&Township| named.iter().any(|&a| within(&g.divs[a], &g.divs[r.parent]));
                fits.retain(inside);
            }
            if fits.is_empty() {
                p.ambiguous = true;
                p.evidence = format!("inconsistent:{printed}({})", listed(&before));
                return;
            }
        }
        if let [one] = fits[..] {
            township = Some(one);
        } else {
            let parents: Vec<usize> = fits.iter().map(|r| r.parent).collect();
            if let Some((c, e)) = decide_by_hints(g, &parents, hints) {
                township = fits.iter().copied().find(|r| r.parent == c);
                by_hint = e;
            }
        }
        match township {
            Some(r) => cands = vec![r.parent],
            None if tokens.is_empty() => {
                p.ambiguous = true;
                p.evidence = format!("ambiguous:{printed}({})", listed(&fits));
                return;
            }
            // Several townships of that name inside the divisions: the divisions alone.
            None => printed = join_spans(text, tokens.iter().map(|t| (t.start, t.end)).collect()),
        }
    }
    let first = cands[0];
    if !at_township {
        p.level = Some(LEVELS[g.divs[first].rank as usize]);
    }
    if cands.len() > 1 {
        match decide_by_hints(g, &cands, hints) {
            Some((c, e)) => (cands, by_hint) = (vec![c], e),
            None => {
                let codes: Vec<&str> = cands.iter().map(|&c| g.divs[c].code).collect();
                p.ambiguous = true;
                p.evidence = format!("ambiguous:{printed}({})", codes.join(","));
                return;
            }
        }
    }
    let d = &g.divs[cands[0]];
    let via = |v: Via| tokens.iter().any(|t| t.entry.via == v);
    let how = if history || !d.current {
        "historical"
    } else if via(Via::Zone) {
        "zone"
    } else if via(Via::Alias) {
        "alias"
    } else {
        "name"
    };
    let township = township.map_or(String::new(), |r| format!("+township:{}", r.code));
    p.evidence = format!("{how}:{printed}{by_hint}{township}");
    // An enclosing division as the name prints it (襄樊市), else as the code names it now.
    let named = |code: &str| {
        let mut rows = tokens.iter().flat_map(|t| t.entry.rows(history));
        let row = rows
            .find(|&r| g.divs[r].code == code)
            .or_else(|| g.by_code.get(code).copied());
        row.filter(|_| !code.is_empty())
            .map(|r| g.divs[r].name.to_string())
    };
    p.division_code = Some(d.code.to_string());
    p.province = named(d.province_code);
    if d.rank > PROVINCE {
        p.prefecture = named(d.prefecture_code);
    }
    if d.rank > PREFECTURE {
        p.county = Some(d.name.to_string());
    }
}

/// The townships' codes for the evidence, the first [`TOWNSHIPS_LISTED`] of them.
pub(super) fn listed(rows: &[&Township]) -> String {
    let mut codes: Vec<&str> = rows.iter().map(|r| r.code).collect();
    codes.sort_unstable();
    let more = codes.len().saturating_sub(TOWNSHIPS_LISTED);
    codes.truncate(TOWNSHIPS_LISTED);
    let mut out = codes.join(",");
    if more > 0 {
        out.push_str(&format!(",…+{more}"));
    }
    out
}
