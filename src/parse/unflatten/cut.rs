//! Cutting a run of digits printed without separators into a row's cells: every cut
//! that fits the row's own arithmetic, with no number starting with 0.

/// Work allowed to one row's search for cuts, in steps; past it the row is left null.
const STEP_BUDGET: usize = 200_000;

/// More candidate cuts than this for one row are not kept (the row is ambiguous anyway).
pub(super) const MAX_CANDIDATES: usize = 64;

/// What the search found for one row.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cut {
    /// Not searched yet.
    Pending,
    /// The cells as printed (already separated by spaces).
    AsPrinted(Vec<String>),
    /// Candidate cuts (one: certain).
    Candidates(Vec<Vec<String>>),
    /// Too much work to enumerate.
    TooMany,
}

/// The arithmetic a row's own cells must satisfy.
#[derive(Clone, Copy)]
pub(super) enum RowRule {
    /// No equation inside the row.
    None,
    /// Groups of `n` cells whose last cell is the sum of the others.
    GroupSums(usize),
}

/// Every cut of `digits` into `cells` cells that fits `rule`.
pub(super) fn cuts(digits: &str, cells: usize, money: &[bool], rule: RowRule) -> Cut {
    let tokens: Vec<&str> = digits.split_whitespace().collect();
    if cells == 0 {
        return Cut::Candidates(Vec::new());
    }
    if tokens.len() >= cells {
        return Cut::AsPrinted(tokens.iter().map(|t| t.to_string()).collect());
    }
    let mut search = Search {
        tokens: &tokens,
        cells,
        money,
        rule,
        steps: 0,
        found: Vec::new(),
        over: false,
    };
    let mut acc = Vec::with_capacity(cells);
    search.go(0, 0, &mut acc);
    if search.over {
        Cut::TooMany
    } else {
        Cut::Candidates(search.found)
    }
}

struct Search<'a> {
    tokens: &'a [&'a str],
    cells: usize,
    money: &'a [bool],
    rule: RowRule,
    steps: usize,
    found: Vec<Vec<String>>,
    over: bool,
}

impl Search<'_> {
    fn remaining_digits(&self, tok: usize, pos: usize) -> usize {
        self.tokens[tok..]
            .iter()
            .enumerate()
            .map(|(k, t)| if k == 0 { t.len() - pos } else { t.len() })
            .sum()
    }

    fn go(&mut self, tok: usize, pos: usize, acc: &mut Vec<String>) {
        if self.over {
            return;
        }
        self.steps += 1;
        if self.steps > STEP_BUDGET || self.found.len() > MAX_CANDIDATES {
            self.over = true;
            return;
        }
        if tok == self.tokens.len() {
            if acc.len() == self.cells {
                self.found.push(acc.clone());
            }
            return;
        }
        let token = self.tokens[tok];
        if pos == token.len() {
            self.go(tok + 1, 0, acc);
            return;
        }
        let left = self.cells - acc.len();
        if left == 0 || self.remaining_digits(tok, pos) < left || self.tokens.len() - tok > left {
            return;
        }
        let index = acc.len();
        let rest = &token[pos..];
        // A group's total is not chosen: it must be the sum of the cells before it.
        if let RowRule::GroupSums(n) = self.rule {
            if index % n == n - 1 {
                let group = &acc[index + 1 - n..index];
                let sum: Option<i64> = group.iter().map(|s| s.parse::<i64>().ok()).sum();
                let Some(sum) = sum else { return };
                let s = sum.to_string();
                if rest.starts_with(&s) {
                    acc.push(s.clone());
                    self.go(tok, pos + s.len(), acc);
                    acc.pop();
                }
                return;
            }
        }
        let money = self.money.get(index).copied().unwrap_or(false);
        let max = if money { 16 } else { 9 };
        for len in 1..=rest.len().min(max) {
            let piece = &rest[..len];
            if !valid_piece(piece, money) {
                continue;
            }
            acc.push(piece.to_string());
            self.go(tok, pos + len, acc);
            acc.pop();
            if self.over {
                return;
            }
        }
    }
}

/// A cell as printed: no leading zero (`0` itself aside), digits only, or one decimal
/// point between digits in a money cell; no thousands separator (they would make the cut
/// a guess).
fn valid_piece(p: &str, money: bool) -> bool {
    let int = p.split('.').next().unwrap_or("");
    if int.is_empty() || int.len() > 1 && int.starts_with('0') || p.contains(',') {
        return false;
    }
    match p.split_once('.') {
        None => p.bytes().all(|b| b.is_ascii_digit()),
        Some((a, b)) => {
            money
                && !b.is_empty()
                && a.bytes().all(|x| x.is_ascii_digit())
                && b.bytes().all(|x| x.is_ascii_digit())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_cuts_by_the_row_sum() {
        let c = cuts("230 000023", 7, &[false; 7], RowRule::GroupSums(7));
        assert_eq!(
            c,
            Cut::Candidates(vec![vec!["23", "0", "0", "0", "0", "0", "23"]
                .into_iter()
                .map(String::from)
                .collect()])
        );
        // 17 digits for section 四's 15 cells: one cut fits the three totals.
        let c = cuts("10203120001200000", 15, &[false; 15], RowRule::GroupSums(5));
        let Cut::Candidates(c) = c else { panic!() };
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].join(","), "1,0,2,0,3,12,0,0,0,12,0,0,0,0,0");
    }

    #[test]
    fn several_cuts_are_not_chosen_between() {
        let Cut::Candidates(c) = cuts("898989", 3, &[false; 3], RowRule::None) else {
            panic!()
        };
        assert!(c.len() > 1);
        let Cut::Candidates(c) = cuts("000", 3, &[false; 3], RowRule::None) else {
            panic!()
        };
        assert_eq!(c.len(), 1);
        // Too few digits for the cells: nothing fits.
        let Cut::Candidates(c) = cuts("1212", 7, &[false; 7], RowRule::GroupSums(7)) else {
            panic!()
        };
        assert!(c.is_empty());
    }
}
