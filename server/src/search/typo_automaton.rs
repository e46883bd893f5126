//! The words a searched word matches with at most some typos, as an automaton run over
//! tantivy's term dictionaries (`embedded::derivations`): the rule of `text::typos` (and of Meilisearch), where a term
//! that does not start with the word's first letter costs one typo more. It is the union of
//! two Levenshtein automata: the first letter kept and `typos` edits, or another first letter
//! and one edit fewer.

use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use std::sync::LazyLock;
use tantivy_fst::Automaton;

/// Building the tables of a Levenshtein automaton takes milliseconds: once per distance.
static BUILDERS: LazyLock<[LevenshteinAutomatonBuilder; 3]> =
    LazyLock::new(|| [0, 1, 2].map(|distance| LevenshteinAutomatonBuilder::new(distance, true)));

/// Where the term stands with regard to the word's first letter (its UTF-8 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum First {
    /// This many of its bytes read so far, all equal.
    Reading(usize),
    Same,
    Other,
}

pub struct Typos {
    /// Terms starting with the word's first letter, within `typos` edits.
    same: DFA,
    /// Terms starting otherwise, within `typos - 1` edits (none when `typos` is 0).
    other: Option<DFA>,
    first: Vec<u8>,
}

impl std::fmt::Debug for Typos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Typos").field("first", &self.first).finish_non_exhaustive()
    }
}

impl Typos {
    /// Terms costing `form` at most `typos` typos (0 to 2); starting like it when `prefix`.
    pub fn new(form: &str, typos: u8, prefix: bool) -> Self {
        let dfa = |distance: u8| {
            let builder = &BUILDERS[usize::from(distance.min(2))];
            if prefix { builder.build_prefix_dfa(form) } else { builder.build_dfa(form) }
        };
        let first = form.chars().next().map(|c| c.to_string().into_bytes()).unwrap_or_default();
        Self { same: dfa(typos), other: typos.checked_sub(1).map(dfa), first }
    }
}

fn matches(dfa: &DFA, state: u32) -> bool {
    matches!(dfa.distance(state), Distance::Exact(_))
}

impl Automaton for Typos {
    /// The states of both automata, and where the term stands with the first letter.
    type State = (u32, u32, First);

    fn start(&self) -> Self::State {
        let other = self.other.as_ref().map_or(SINK_STATE, DFA::initial_state);
        let first = if self.first.is_empty() { First::Same } else { First::Reading(0) };
        (self.same.initial_state(), other, first)
    }

    fn is_match(&self, &(same, other, first): &Self::State) -> bool {
        match first {
            First::Same => matches(&self.same, same),
            // A term shorter than the first letter does not start with it.
            First::Other | First::Reading(_) => self.other.as_ref().is_some_and(|dfa| matches(dfa, other)),
        }
    }

    fn can_match(&self, &(same, other, first): &Self::State) -> bool {
        let same_can = first != First::Other && same != SINK_STATE;
        let other_can = first != First::Same && other != SINK_STATE;
        same_can || other_can
    }

    fn accept(&self, &(same, other, first): &Self::State, byte: u8) -> Self::State {
        let first = match first {
            First::Reading(read) if self.first.get(read) == Some(&byte) => {
                if read + 1 == self.first.len() {
                    First::Same
                } else {
                    First::Reading(read + 1)
                }
            }
            First::Reading(_) => First::Other,
            settled => settled,
        };
        let other = match &self.other {
            Some(dfa) if other != SINK_STATE => dfa.transition(other, byte),
            _ => SINK_STATE,
        };
        (self.same.transition(same, byte), other, first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::text;

    fn runs(automaton: &Typos, term: &str) -> bool {
        let mut state = automaton.start();
        for byte in term.bytes() {
            state = automaton.accept(&state, byte);
        }
        automaton.is_match(&state)
    }

    #[test]
    fn the_automaton_agrees_with_the_typo_rule() {
        let forms = ["medecin", "montpellier", "rodez", "rode", "pediatr", "generaliste", "12000", "épi"];
        let terms = [
            "medecin",
            "medecins",
            "edecin",
            "xedecin",
            "mdeecin",
            "montpellier",
            "montpelier",
            "xontpellier",
            "xontpelier",
            "rodez",
            "rodes",
            "rode",
            "rodeo",
            "pediatre",
            "pediatrie",
            "pediatrique",
            "generale",
            "generalistes",
            "12000",
            "12001",
            "epi",
            "épi",
            "épicerie",
            "",
            "m",
        ];
        for form in forms {
            let budget = text::typo_budget(form);
            for prefix in [false, true] {
                for typos in 0..=budget {
                    let automaton = Typos::new(form, typos, prefix);
                    for term in terms {
                        let expected = text::typos(form, term, prefix).is_some_and(|cost| cost <= typos);
                        assert_eq!(
                            runs(&automaton, term),
                            expected,
                            "{form} ({typos} typos, prefix {prefix}) ~ {term}"
                        );
                    }
                }
            }
        }
    }
}
