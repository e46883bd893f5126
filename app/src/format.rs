//! Numbers the French way: "6 124 653", "3,92", "23,4 %".

/// Thousands separated by a narrow no-break space, as French typography wants.
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// A decimal with a comma and a fixed number of digits.
pub fn dec(x: f64, digits: usize) -> String {
    format!("{x:.digits$}").replace('.', ",")
}

pub fn percent(x: f64) -> String {
    format!("{}\u{a0}%", dec(x, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers() {
        assert_eq!(int(6_124_653), "6\u{202f}124\u{202f}653");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1\u{202f}000");
        assert_eq!(int(-1500), "-1\u{202f}500");
        assert_eq!(dec(3.9234, 2), "3,92");
        assert_eq!(percent(23.44), "23,4\u{a0}%");
    }
}
