//! The value axis: a nice step and top that cover the maximum, and numbers formatted for
//! readers (thousands separators, percentages, no float noise).

use super::TICK_TARGET;

/// A value axis from 0 to `top` in steps of 1, 2 or 5 × 10^k.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Scale {
    pub(super) top: f64,
    pub(super) step: f64,
}

impl Scale {
    /// `None` when there is nothing to scale (no positive finite maximum), so callers
    /// cannot divide by a zero range.
    pub(super) fn new(max: f64) -> Option<Scale> {
        if !(max.is_finite() && max > 0.0) {
            return None;
        }
        let raw = max / TICK_TARGET;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw * (1.0 - 1e-9))
            .unwrap_or(10.0 * mag);
        // The epsilon keeps 1.0 / 0.2 = 5.000000000000001 from adding a sixth step.
        let top = (max / step - 1e-9).ceil().max(1.0) * step;
        if step.is_normal() && top.is_finite() {
            return Some(Scale { top, step });
        }
        // Near the ends of f64 the rounded top overflows (or the step underflows): plain
        // fifths of the maximum still draw a correct chart.
        let step = max / TICK_TARGET;
        (max.is_normal() && step.is_normal()).then_some(Scale { top: max, step })
    }

    /// Where `v` sits between 0 and the top, clamped so that no value leaves the plot.
    pub(super) fn frac(&self, v: f64) -> f64 {
        (v / self.top).clamp(0.0, 1.0)
    }

    pub(super) fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let k = (self.top / self.step).round().clamp(1.0, 20.0) as usize;
        (0..=k).map(move |i| i as f64 * self.step)
    }
}

pub(super) fn tick_labels(scale: Option<&Scale>, percent: bool) -> Vec<(f64, String)> {
    match scale {
        Some(s) => s
            .ticks()
            .map(|t| (t, format_tick(t, s.step, percent)))
            .collect(),
        None => vec![(0.0, format_tick(0.0, 1.0, percent))],
    }
}

/// The printed form of a value: `37.5%` for fractions, `12,345` or `2.5` for counts.
pub(super) fn format_value(v: f64, percent: bool) -> String {
    if percent {
        let p = v * 100.0;
        if p.is_finite() {
            format!("{}%", group(p, 1))
        } else {
            "n/a".to_string()
        }
    } else {
        group(v, 2)
    }
}

/// A tick label with just the decimals its step needs (0.5% steps print one decimal, 10%
/// steps none), so ticks read alike along the axis.
fn format_tick(t: f64, step: f64, percent: bool) -> String {
    let (t, step) = if percent {
        (t * 100.0, step * 100.0)
    } else {
        (t, step)
    };
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 12.0) as usize
    };
    let s = group(t, decimals);
    if percent {
        format!("{s}%")
    } else {
        s
    }
}

/// `x` with at most `decimals` decimals, trailing zeros dropped and thousands grouped by
/// commas; never "-0".
pub(crate) fn group(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (s.as_str(), ""),
    };
    let zero = frac.is_empty() && int.bytes().all(|b| b == b'0');
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    if x < 0.0 && !zero {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::svg::num;
    use super::*;

    #[test]
    fn ticks_are_nice_and_cover_the_maximum() {
        let s = |max: f64| {
            let s = Scale::new(max).unwrap();
            (s.top, s.step)
        };
        assert_eq!(s(0.375), (0.4, 0.1));
        assert_eq!(s(12345.0), (15000.0, 5000.0));
        assert_eq!(s(100.0), (100.0, 20.0));
        assert_eq!(s(1.0), (1.0, 0.2));
        assert_eq!(s(7.0), (8.0, 2.0));
        assert_eq!(s(3.0), (3.0, 1.0));
        for max in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-320] {
            assert_eq!(Scale::new(max), None, "{max}");
        }
        for i in 1..2000 {
            let max = (i as f64).powf(2.7) / 997.0;
            let sc = Scale::new(max).unwrap();
            let mantissa = sc.step / 10f64.powf(sc.step.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-6),
                "step {} for {max}",
                sc.step
            );
            assert!(sc.top >= max * (1.0 - 1e-9), "top {} < {max}", sc.top);
            let k = sc.ticks().count();
            assert!((2..=7).contains(&k), "{k} ticks for {max}");
        }
        let huge = Scale::new(f64::MAX).unwrap();
        assert!(huge.top.is_finite() && huge.step > 0.0);
    }

    #[test]
    fn values_are_formatted_for_readers() {
        assert_eq!(format_value(0.375, true), "37.5%");
        assert_eq!(format_value(0.5, true), "50%");
        assert_eq!(format_value(1.0, true), "100%");
        assert_eq!(format_value(0.12345, true), "12.3%");
        assert_eq!(format_value(12345.0, false), "12,345");
        assert_eq!(format_value(1234567.0, false), "1,234,567");
        assert_eq!(format_value(999.0, false), "999");
        assert_eq!(format_value(1000.0, false), "1,000");
        assert_eq!(format_value(2.5, false), "2.5");
        assert_eq!(format_value(1234.5678, false), "1,234.57");
        assert_eq!(format_value(0.0, false), "0");
        assert_eq!(format_value(-0.0001, false), "0");
        assert_eq!(format_value(-1500.0, false), "-1,500");
        assert_eq!(format_value(f64::MAX, true), "n/a");
        assert_eq!(format_tick(0.1 + 0.2, 0.1, false), "0.3");
        assert_eq!(format_tick(15000.0, 5000.0, false), "15,000");
        assert_eq!(format_tick(0.05, 0.05, true), "5%");
        assert_eq!(format_tick(0.3, 0.1, true), "30%");
        assert_eq!(format_tick(0.015, 0.005, true), "1.5%");
        assert_eq!(format_tick(0.02, 0.005, true), "2%");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(12.96), "13");
        assert_eq!(num(-0.01), "0");
    }
}
