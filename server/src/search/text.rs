//! How text is read, the same way for both engines and for highlighting: words split on
//! anything that is not a letter or a digit, lowercased, accents folded (« Béziers » is
//! "beziers"), French stop words dropped, and stemmed where stems are compared (« médecins »
//! and « médecine » are both "medecin").

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    TokenStream,
};

/// Function words that carry no meaning in a search; both engines drop them.
pub const STOP_WORDS: &[&str] = &[
    "a", "à", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "en", "et", "l", "la", "le", "les",
    "leur", "leurs", "ou", "où", "par", "pour", "sa", "se", "ses", "son", "sur", "un", "une",
];

/// Words of a snippet.
pub const SNIPPET_WORDS: usize = 24;

/// Tokens longer than this are dropped (they are never words).
const LONGEST_WORD: usize = 40;

/// The analyzer of exact fields: folded words, stop words kept.
pub fn folding() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyzer of stemmed fields: folded words without stop words, stemmed in French.
pub fn stemming() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(STOP_WORDS.iter().map(|w| (*w).to_owned())))
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The folded words of `text`, stop words kept.
pub fn words(text: &str) -> Vec<String> {
    tokens(folding(), text)
}

/// The words of a query: folded, without stop words, "st" and "ste" read as "saint" and
/// "sainte" (how people type French place names).
pub fn query_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| !is_stop_word(w))
        .map(|w| match w.as_str() {
            "st" => "saint".to_owned(),
            "ste" => "sainte".to_owned(),
            _ => w,
        })
        .collect()
}

fn is_stop_word(folded: &str) -> bool {
    static FOLDED: LazyLock<HashSet<String>> = LazyLock::new(|| STOP_WORDS.iter().flat_map(|w| words(w)).collect());
    FOLDED.contains(folded)
}

thread_local! {
    // Building an analyzer builds its stop-word set: once per thread, not per word.
    static STEMMING: RefCell<TextAnalyzer> = RefCell::new(stemming());
}

/// The French stem of one folded word.
pub fn stem(word: &str) -> String {
    STEMMING.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(word);
        if stream.advance() { stream.token().text.clone() } else { word.to_owned() }
    })
}

/// The stems of `text`, space-separated (what Meilisearch, which does not stem, is given).
pub fn stems(text: &str) -> String {
    STEMMING.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out.join(" ")
    })
}

/// Typos forgiven in a query word of this many letters: none below 5, one from 5, two from
/// 9, as Meilisearch does by default. Numbers (postal codes) must be exact.
pub fn typo_budget(word: &str) -> u8 {
    typo_budget_of(&word.chars().collect::<Vec<_>>())
}

/// The form a query word is searched in: the word itself, or its stem when the stem is
/// further from it than its typo budget reaches and still a word of 5 letters or more
/// (« hôpitaux » is searched as "hopital", « pédiatrique » as "pediatr"; « rodes » stays
/// "rodes", its stem "rod" would lose the commune). Documents carry the stems of their words,
/// so a query word finds the other forms of its word in both engines alike.
pub fn searched_form(word: &str) -> String {
    let stem = stem(word);
    if stem.chars().count() >= 5 && edit_distance(word, &stem) > usize::from(typo_budget(word)) {
        stem
    } else {
        word.to_owned()
    }
}

/// Edits (insertion, deletion, substitution, swap of two neighbours) from `a` to `b`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance(&a, &b)
}

/// `edit_distance` on letters, keeping three rows of the table (a swap looks two rows back).
fn distance(a: &[char], b: &[char]) -> usize {
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(row[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            row[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut row);
    }
    previous[b.len()]
}

/// The typos a document token costs the searched form `form`, within its budget; None beyond
/// it. A typo is an edit (see `edit_distance`); a token that does not start with the form's
/// first letter costs one typo more (Meilisearch's rule: « edecin » is not « médecin »). While
/// typing (`prefix`), the token may go on after what is typed: the cost is that of its
/// closest start.
pub fn typos(form: &str, token: &str, prefix: bool) -> Option<u8> {
    let form: Vec<char> = form.chars().collect();
    let token: Vec<char> = token.chars().collect();
    typos_of(&form, &token, typo_budget_of(&form), prefix)
}

fn typo_budget_of(form: &[char]) -> u8 {
    if form.iter().all(|c| c.is_ascii_digit()) {
        return 0;
    }
    match form.len() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

fn typos_of(form: &[char], token: &[char], budget: u8, prefix: bool) -> Option<u8> {
    let budget = usize::from(budget);
    let other_first = usize::from(form.first() != token.first());
    if other_first > budget {
        return None;
    }
    let within = budget - other_first;
    let edits = if prefix {
        // An edit changes the length by one at most: starts further off are no closer.
        let shortest = form.len().saturating_sub(within).min(token.len());
        let longest = (form.len() + within).min(token.len());
        (shortest..=longest).map(|n| distance(form, &token[..n])).min()?
    } else if token.len().abs_diff(form.len()) > within {
        return None;
    } else {
        distance(form, token)
    };
    (edits <= within).then(|| (edits + other_first) as u8)
}

/// Whether the folded document word `word` answers the query word `query`: its searched form
/// is within its typo budget of the word or of the word's stem (see `typos`).
pub fn word_matches(query: &str, word: &str, prefix: bool) -> bool {
    QueryWord::new(query, prefix).matches(word, &mut None)
}

/// A query word made ready to be compared with many document words.
struct QueryWord {
    form: Vec<char>,
    budget: u8,
    prefix: bool,
}

impl QueryWord {
    fn new(query: &str, prefix: bool) -> Self {
        let form: Vec<char> = searched_form(query).chars().collect();
        Self { budget: typo_budget_of(&form), form, prefix }
    }

    /// `word_stem` is the document word's stem once computed (shared by the query words).
    fn matches(&self, word: &str, word_stem: &mut Option<String>) -> bool {
        let chars: Vec<char> = word.chars().collect();
        if typos_of(&self.form, &chars, self.budget, self.prefix).is_some() {
            return true;
        }
        let stem: Vec<char> = word_stem.get_or_insert_with(|| stem(word)).chars().collect();
        typos_of(&self.form, &stem, self.budget, self.prefix).is_some()
    }
}

/// Marks the words of texts that answer a query. One per search: the query words are
/// prepared once, and each document word is judged once for all the texts of the page.
pub struct Highlighter {
    query: Vec<QueryWord>,
    folding: TextAnalyzer,
    judged: HashMap<String, bool>,
}

impl Highlighter {
    pub fn new(query: &[String], prefix: bool) -> Self {
        let last = query.len().saturating_sub(1);
        Self {
            query: query.iter().enumerate().map(|(i, q)| QueryWord::new(q, prefix && i == last)).collect(),
            folding: folding(),
            judged: HashMap::new(),
        }
    }

    fn answers(&mut self, word: &str) -> bool {
        if self.query.is_empty() {
            return false;
        }
        if let Some(known) = self.judged.get(word) {
            return *known;
        }
        let mut folded = String::new();
        let mut stream = self.folding.token_stream(word);
        while stream.advance() {
            folded.push_str(&stream.token().text);
        }
        let mut word_stem = None;
        let marked = self.query.iter().any(|q| q.matches(&folded, &mut word_stem));
        self.judged.insert(word.to_owned(), marked);
        marked
    }

    /// A hit's title, marked, and its snippet: about `SNIPPET_WORDS` words of its body from a
    /// little before the first mark. The same for every engine (and for the board's answer
    /// without an engine).
    pub fn title_and_snippet(&mut self, title: &str, body: &str) -> (super::Marked, super::Marked) {
        (self.highlight(title), crop(&self.highlight(body), SNIPPET_WORDS))
    }

    /// `text` cut into pieces, those whose word answers the query marked.
    pub fn highlight(&mut self, text: &str) -> super::Marked {
        let mut out: super::Marked = Vec::new();
        let mut push = |piece: &str, marked: bool| match out.last_mut() {
            Some((last, was)) if *was == marked => last.push_str(piece),
            _ => out.push((piece.to_owned(), marked)),
        };
        let mut rest = text;
        while !rest.is_empty() {
            let start = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
            push(&rest[..start], false);
            rest = &rest[start..];
            let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
            if end == 0 {
                break;
            }
            let word = &rest[..end];
            push(word, self.answers(word));
            rest = &rest[end..];
        }
        out
    }
}

/// `text` cut into pieces, those whose word answers one of `query` marked.
pub fn highlight(text: &str, query: &[String], prefix: bool) -> super::Marked {
    Highlighter::new(query, prefix).highlight(text)
}

/// About `length` words of `text` from a little before its first highlighted word.
pub fn crop(marked: &super::Marked, length: usize) -> super::Marked {
    // Word boundaries of the whole text, then the window around the first mark.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for (text, mark) in marked {
        if *mark {
            pieces.push((text.clone(), true));
        } else {
            for part in text.split_inclusive(char::is_whitespace) {
                pieces.push((part.to_owned(), false));
            }
        }
    }
    let first = pieces.iter().position(|(_, m)| *m).unwrap_or(0);
    let start = first.saturating_sub(length / 4);
    let end = (start + length).min(pieces.len());
    let mut out: super::Marked = Vec::new();
    if start > 0 {
        out.push(("… ".to_owned(), false));
    }
    for (text, mark) in &pieces[start..end] {
        match out.last_mut() {
            Some((last, was)) if *was == *mark => last.push_str(text),
            _ => out.push((text.clone(), *mark)),
        }
    }
    if end < pieces.len() {
        match out.last_mut() {
            Some((last, false)) => last.push('…'),
            _ => out.push(("…".to_owned(), false)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_stop_words_go_away() {
        assert_eq!(query_words("Médecin à BÉZIERS"), ["medecin", "beziers"]);
        assert_eq!(query_words("st Affrique"), ["saint", "affrique"]);
        assert_eq!(query_words("l'hôpital de Rodez"), ["hopital", "rodez"]);
    }

    #[test]
    fn stems_join_the_forms_of_a_word() {
        assert_eq!(stem("medecins"), stem("medecine"));
        assert_eq!(stem("generale"), stem("general"));
        assert_eq!(stems("Médecine générale"), format!("{} {}", stem("medecine"), stem("generale")));
    }

    #[test]
    fn the_typo_budget_grows_with_the_word() {
        assert_eq!(typo_budget("rode"), 0);
        assert_eq!(typo_budget("rodez"), 1);
        assert_eq!(typo_budget("generale"), 1);
        assert_eq!(typo_budget("generalste"), 2);
        assert_eq!(typo_budget("120000"), 0);
    }

    #[test]
    fn edits_count_swaps_as_one() {
        assert_eq!(edit_distance("rodez", "rodes"), 1);
        assert_eq!(edit_distance("medecin", "mdeecin"), 1);
        assert_eq!(edit_distance("generaliste", "generalste"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn words_match_by_stem_typo_or_prefix() {
        assert!(word_matches("rodes", "rodez", false));
        assert!(!word_matches("mill", "millau", false), "four letters: no typo");
        assert!(word_matches("mill", "millau", true), "the start of the word being typed");
        assert!(word_matches("medecins", "medecine", false));
        assert!(!word_matches("mille", "millau", false));
        assert!(word_matches("hopitaux", "hopital", false), "through the stem");
        assert!(word_matches("pediatrique", "pediatre", false));
        assert!(word_matches("gyneco", "gynecologie", true));
        assert!(!word_matches("gyneco", "gynecologie", false), "a whole word is not a prefix");
    }

    #[test]
    fn a_query_word_is_searched_as_its_stem_only_when_its_typos_cannot_reach_it() {
        assert_eq!(searched_form("hopitaux"), "hopital");
        assert_eq!(searched_form("pediatrique"), "pediatr");
        assert_eq!(searched_form("medecins"), "medecins", "« medecin » is one typo away");
        assert_eq!(searched_form("rodes"), "rodes", "a stem shorter than 5 letters is not searched");
        assert_eq!(searched_form("rodez"), "rodez");
    }

    #[test]
    fn a_different_first_letter_costs_one_typo_more() {
        assert_eq!(typos("medecin", "medecin", false), Some(0));
        assert_eq!(typos("medecin", "medecins", false), Some(1));
        assert_eq!(typos("edecin", "medecin", false), None, "one edit, but on the first letter");
        assert_eq!(typos("xontpellier", "montpellier", false), Some(2), "within two typos from 9 letters");
        assert_eq!(typos("xontpelier", "montpellier", false), None);
        assert_eq!(typos("montpelier", "montpellier", false), Some(1));
        assert_eq!(typos("rode", "rodez", true), Some(0), "the start of the word");
        assert_eq!(typos("montpl", "montpellier", true), Some(1), "a typo in the start");
        assert_eq!(typos("rode", "rodez", false), None, "four letters: exact");
        assert_eq!(typos("12000", "12001", false), None, "numbers are exact");
    }

    #[test]
    fn highlights_mark_the_matching_words_and_keep_the_rest() {
        let marked = highlight("Remplacement à Rodez, médecine générale", &query_words("rodes medecin"), false);
        assert_eq!(
            marked,
            vec![
                ("Remplacement à ".to_owned(), false),
                ("Rodez".to_owned(), true),
                (", ".to_owned(), false),
                ("médecine".to_owned(), true),
                (" générale".to_owned(), false),
            ]
        );
        let text: String = marked.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(text, "Remplacement à Rodez, médecine générale");
    }

    #[test]
    fn one_highlighter_judges_each_word_once_and_the_same_way() {
        let query = query_words("remplacemnt rod");
        let mut highlighter = Highlighter::new(&query, true);
        for text in ["Remplacement à Rodez", "Rodez : remplacements d'été", "Stage à Millau"] {
            assert_eq!(highlighter.highlight(text), highlight(text, &query, true), "{text}");
        }
        assert!(highlighter.highlight("Remplacement").iter().any(|(t, m)| *m && t == "Remplacement"));
        assert!(!highlighter.highlight("Ronde").iter().any(|(_, m)| *m), "only what starts like the last word");
        assert_eq!(edit_distance("abcdef", "badcfe"), 3);
    }

    #[test]
    fn crops_start_near_the_first_match() {
        let body = (1..=60).map(|i| format!("mot{i}")).collect::<Vec<_>>().join(" ") + " Millau fin";
        let cropped = crop(&highlight(&body, &["millau".to_owned()], false), 10);
        let text: String = cropped.iter().map(|(t, _)| t.as_str()).collect();
        assert!(text.starts_with("… "), "{text}");
        assert!(cropped.iter().any(|(t, m)| *m && t == "Millau"), "{cropped:?}");
    }
}
