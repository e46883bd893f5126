//! Checks the services' form validations share.

/// A text trimmed, its line ends made "\n", within `min..=max` characters and without control
/// characters other than line ends and tabs; otherwise `problem`.
pub fn bounded<P>(raw: &str, min: usize, max: usize, problem: P) -> Result<String, P> {
    let text = raw.trim().replace("\r\n", "\n");
    let chars = text.chars().count();
    if (min..=max).contains(&chars) && !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        Ok(text)
    } else {
        Err(problem)
    }
}

#[cfg(test)]
mod tests {
    use super::bounded;

    #[test]
    fn texts_are_trimmed_bounded_in_characters_and_free_of_control_characters() {
        assert_eq!(bounded("  Été\r\nà Rodez ", 3, 20, ()), Ok("Été\nà Rodez".to_owned()));
        assert_eq!(bounded("éé", 3, 20, ()), Err(()));
        assert_eq!(bounded(&"é".repeat(21), 3, 20, ()), Err(()));
        assert_eq!(bounded("un\u{7}bip", 3, 20, ()), Err(()));
    }
}
