//! Which cut of each digit run is the row's: the cuts that fit the row's own arithmetic,
//! then, for section 三, the equations across rows (the balance rule and the disposal
//! total) that may settle a row several cuts fit; a finding for every row left null.

use super::cut::{cuts, Cut, RowRule, MAX_CANDIDATES};
use super::{Piece, RowRef};
use crate::model::{Finding, Severity};
use crate::templates::{APPLICANTS, DISPOSAL_ROWS, OUTCOMES};

/// Combinations of candidate rows tried for one equation across rows.
const MAX_COMBINATIONS: usize = 4096;

fn rule(row: RowRef) -> RowRule {
    match row {
        RowRef::Proactive(_) => RowRule::None,
        RowRef::Application(_) => RowRule::GroupSums(APPLICANTS.len()),
        RowRef::Review => RowRule::GroupSums(OUTCOMES.len()),
    }
}

/// Cuts every row, then narrows section 三's ambiguous rows by the equations across rows.
/// Returns how many rows were cut by arithmetic.
pub(super) fn resolve(rows: &mut [&mut Piece], findings: &mut Vec<Finding>) -> usize {
    for p in rows.iter_mut() {
        let row = p.row.expect("rows only");
        p.cut = cuts(&p.digits, p.cells, &p.money, rule(row));
    }
    let equations = across_rows(rows);
    let confirmed = confirmed_rows(rows, &equations);
    let mut split = 0;
    for (i, p) in rows.iter().enumerate() {
        let row = p.row.expect("rows only");
        let (table, code) = (row.table(), row.code());
        let what = code.unwrap_or("section 四");
        let problem = match &p.cut {
            Cut::AsPrinted(_) => None,
            // Before the single cut: zero cells is one (empty) cut, and the digits would
            // vanish without a word.
            Cut::Candidates(_) if p.cells == 0 => Some(format!(
                "{what}: the digits {:?} are printed run together and the number of its cells is unknown (the template of section 二 is not shown, or the template it shows has no such row); cells left null",
                p.digits
            )),
            // A section 三 row whose one cut no equation across rows confirms: its own sum
            // chose it, and a row printed with a misprinted total (`120000021` for 12 and
            // 21) has exactly one cut that fits, the wrong one. Kept, and said.
            Cut::Candidates(c)
                if c.len() == 1
                    && matches!(row, RowRef::Application(_))
                    && !confirmed[i] =>
            {
                split += 1;
                Some(format!(
                    "{what}: the digits {:?} are printed run together; the one cut into {} cells that fits the row's own sum was taken ({}), but no equation across rows (the balance rule, the disposal total) holds with it: if the row is misprinted, its cells are wrong",
                    p.digits,
                    p.cells,
                    c[0].join(" ")
                ))
            }
            Cut::Candidates(c) if c.len() == 1 => {
                split += 1;
                None
            }
            Cut::Candidates(c) if c.is_empty() => Some(format!(
                "{what}: the digits {:?} are printed run together and no cut into {} cells fits the table's arithmetic; cells left null",
                p.digits, p.cells
            )),
            Cut::Candidates(c) => Some(format!(
                "{what}: the digits {:?} are printed run together and {}{} cuts into {} cells fit the table's arithmetic; cells left null",
                p.digits,
                if c.len() > MAX_CANDIDATES { "more than " } else { "" },
                c.len().min(MAX_CANDIDATES),
                p.cells
            )),
            Cut::TooMany | Cut::Pending => Some(format!(
                "{what}: the digits {:?} are printed run together and too many cuts into {} cells are possible; cells left null",
                p.digits, p.cells
            )),
        };
        if let Some(message) = problem {
            findings.push(
                Finding::new(Severity::Warning, "cells_run_together", message)
                    .at(table, code, None)
                    .values(format!("{} cells", p.cells), p.digits.clone()),
            );
        }
    }
    split
}

/// The values of a row's candidate cuts, as integers (section 三 only).
fn values(cut: &[String]) -> Option<Vec<i64>> {
    cut.iter().map(|c| c.parse().ok()).collect()
}

/// Narrows the candidates of section 三's rows with the balance rule (new + carried over
/// = processed + carried forward) and the disposal total (processed = Σ disposal rows),
/// column by column. A row is settled only when every combination of the other rows'
/// candidates that satisfies an equation gives it the same cut.
fn across_rows(rows: &mut [&mut Piece]) -> Vec<(Vec<usize>, Vec<usize>)> {
    let index = |code: &str, rows: &[&mut Piece]| {
        rows.iter()
            .position(|p| matches!(p.row, Some(RowRef::Application(r)) if r.code == code))
    };
    let get = |code: &str, rows: &[&mut Piece]| index(code, rows);
    let balance: Option<(Vec<usize>, Vec<usize>)> = (|| {
        Some((
            vec![get("new_received", rows)?, get("carried_over", rows)?],
            vec![get("total_processed", rows)?, get("carried_forward", rows)?],
        ))
    })();
    let disposal: Option<(Vec<usize>, Vec<usize>)> = (|| {
        let total = get("total_processed", rows)?;
        let parts: Vec<usize> = DISPOSAL_ROWS.iter().filter_map(|c| get(c, rows)).collect();
        // The 2019 and 2021 templates share 18 disposal rows and add one or three.
        (parts.len() >= 19).then_some((parts, vec![total]))
    })();
    let equations: Vec<(Vec<usize>, Vec<usize>)> =
        [balance, disposal].into_iter().flatten().collect();
    for _round in 0..4 {
        let mut changed = false;
        for (lhs, rhs) in &equations {
            changed |= narrow(rows, lhs, rhs);
        }
        if !changed {
            break;
        }
    }
    equations
}

/// For each row, whether an equation across rows that holds it holds with every term
/// read (each row of it printed as cells, or cut one way only).
fn confirmed_rows(rows: &[&mut Piece], equations: &[(Vec<usize>, Vec<usize>)]) -> Vec<bool> {
    let single = |p: &Piece| match &p.cut {
        Cut::AsPrinted(c) => values(c),
        Cut::Candidates(c) if c.len() == 1 => values(&c[0]),
        _ => None,
    };
    let mut confirmed = vec![false; rows.len()];
    for (lhs, rhs) in equations {
        let sum = |side: &[usize]| -> Option<Vec<i64>> {
            let mut total = vec![0i64; APPLICANTS.len()];
            for &i in side {
                let v = single(rows[i])?;
                if v.len() != total.len() {
                    return None;
                }
                for (t, x) in total.iter_mut().zip(v) {
                    *t += x;
                }
            }
            Some(total)
        };
        if let (Some(l), Some(r)) = (sum(lhs), sum(rhs)) {
            if l == r {
                for &i in lhs.iter().chain(rhs) {
                    confirmed[i] = true;
                }
            }
        }
    }
    confirmed
}

/// One equation Σ lhs = Σ rhs over every column; returns true when a row was settled.
fn narrow(rows: &mut [&mut Piece], lhs: &[usize], rhs: &[usize]) -> bool {
    let all: Vec<usize> = lhs.iter().chain(rhs).copied().collect();
    let options: Vec<Vec<Vec<i64>>> = all
        .iter()
        .map(|&i| match &rows[i].cut {
            Cut::AsPrinted(c) => values(c).into_iter().collect(),
            Cut::Candidates(c) => c.iter().filter_map(|x| values(x)).collect(),
            _ => Vec::new(),
        })
        .collect();
    if options
        .iter()
        .any(|o| o.is_empty() || o.iter().any(|v| v.len() != APPLICANTS.len()))
    {
        return false;
    }
    let ambiguous: Vec<usize> = (0..all.len()).filter(|&k| options[k].len() > 1).collect();
    if ambiguous.is_empty() {
        return false;
    }
    let combos: usize = ambiguous
        .iter()
        .map(|&k| options[k].len())
        .try_fold(1usize, |a, n| a.checked_mul(n))
        .unwrap_or(usize::MAX);
    if combos > MAX_COMBINATIONS {
        return false;
    }
    // Fixed rows contribute a constant per column.
    let mut fixed = vec![0i64; APPLICANTS.len()];
    for (k, option) in options.iter().enumerate() {
        if option.len() == 1 {
            let sign = if k < lhs.len() { 1 } else { -1 };
            for (c, v) in option[0].iter().enumerate() {
                fixed[c] += sign * v;
            }
        }
    }
    let mut chosen: Vec<Option<usize>> = vec![None; ambiguous.len()];
    let mut fits: Vec<Vec<usize>> = Vec::new();
    let mut pick = vec![0usize; ambiguous.len()];
    for n in 0..combos {
        let mut r = n;
        for (a, &k) in ambiguous.iter().enumerate() {
            pick[a] = r % options[k].len();
            r /= options[k].len();
        }
        let ok = (0..APPLICANTS.len()).all(|c| {
            let mut s = fixed[c];
            for (a, &k) in ambiguous.iter().enumerate() {
                let sign = if k < lhs.len() { 1 } else { -1 };
                s += sign * options[k][pick[a]][c];
            }
            s == 0
        });
        if ok {
            fits.push(pick.clone());
        }
    }
    if fits.is_empty() {
        return false;
    }
    let mut changed = false;
    for (a, slot) in chosen.iter_mut().enumerate() {
        let first = fits[0][a];
        if fits.iter().all(|f| f[a] == first) {
            *slot = Some(first);
        }
    }
    for (a, &k) in ambiguous.iter().enumerate() {
        if let Some(choice) = chosen[a] {
            let row = all[k];
            if let Cut::Candidates(c) = &rows[row].cut {
                let keep = c
                    .iter()
                    .filter(|x| values(x).as_deref() == Some(&options[k][choice][..]))
                    .cloned()
                    .collect::<Vec<_>>();
                if keep.len() == 1 {
                    rows[row].cut = Cut::Candidates(keep);
                    changed = true;
                }
            }
        }
    }
    changed
}
