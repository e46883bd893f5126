//! Query parameters of the API, read strictly: a value the OpenAPI document would refuse is
//! refused here too, with a French message naming the parameter (the board's pages are lenient
//! and drop such values with a note; a program calling the API wants to know). The documents of
//! the parameters are built from the same lists of codes the readers accept, so the two never
//! drift apart.

use super::ApiError;
use std::collections::HashMap;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};

/// Items per page when the address does not say.
pub const DEFAULT_PER_PAGE: usize = 20;
/// The most items a page may hold.
pub const MAX_PER_PAGE: usize = 100;
/// The highest page number accepted (far past any real list; it bounds OFFSET).
pub const MAX_PAGE: usize = 10_000;

/// The parameters of one request's query string, each given at most once.
#[derive(Debug, Default)]
pub struct Params(HashMap<String, String>);

impl Params {
    /// Decodes the raw query string; a parameter given twice is refused (which one would count?).
    pub fn parse(raw: Option<&str>) -> Result<Self, ApiError> {
        let mut map = HashMap::new();
        // `form_urlencoded` is lossy on bad percent-encodings: nothing here can fail but the checks.
        for (name, value) in url_pairs(raw.unwrap_or_default()) {
            if map.insert(name.clone(), value).is_some() {
                return Err(ApiError::bad(format!("le paramètre « {name} » est donné plusieurs fois")));
            }
        }
        Ok(Self(map))
    }

    /// The raw value of `name`, when given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// `name` read by `read`, which says in French what is expected when it fails.
    pub fn read<T>(&self, name: &str, read: impl FnOnce(&str) -> Result<T, String>) -> Result<Option<T>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => read(value).map(Some).map_err(|expected| {
                ApiError::bad(format!("le paramètre « {name} » vaut « {} » : {expected}", shorten(value)))
            }),
        }
    }

    /// One of `codes`.
    pub fn code(&self, name: &str, codes: &[&str]) -> Result<Option<String>, ApiError> {
        self.read(name, |v| match codes.contains(&v) {
            true => Ok(v.to_owned()),
            false => Err(format!("valeurs possibles : {}", codes.join(", "))),
        })
    }

    /// A comma-separated list of `codes` (each at most once is not required: a repeat means the
    /// same), as the board's several-valued filters take them.
    pub fn codes(&self, name: &str, codes: &[&str]) -> Result<Option<Vec<String>>, ApiError> {
        self.list(name, |item| match codes.contains(&item) {
            true => Ok(item.to_owned()),
            false => Err(format!("une liste séparée par des virgules de : {}", codes.join(", "))),
        })
    }

    /// A comma-separated list, each item read by `read` (which says what is expected).
    pub fn list<T>(&self, name: &str, read: impl Fn(&str) -> Result<T, String>) -> Result<Option<Vec<T>>, ApiError> {
        self.read(name, |v| v.split(',').map(&read).collect())
    }

    /// A whole number in `min..=max`, written plainly (digits only, no sign, no leading zero).
    pub fn number(&self, name: &str, min: usize, max: usize) -> Result<Option<usize>, ApiError> {
        self.read(name, |v| match plain_number(v) {
            Some(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(format!("un nombre entier de {min} à {max} est attendu")),
        })
    }

    /// Text of at most `max` characters (empty means absent).
    pub fn text(&self, name: &str, max: usize) -> Result<Option<String>, ApiError> {
        let text = self.read(name, |v| match v.chars().count() <= max {
            true => Ok(v.trim().to_owned()),
            false => Err(format!("{max} caractères au plus")),
        })?;
        Ok(text.filter(|t| !t.is_empty()))
    }

    /// The page asked for: `page` (from 1) and `par_page`.
    pub fn paging(&self) -> Result<Paging, ApiError> {
        Ok(Paging {
            page: self.number("page", 1, MAX_PAGE)?.unwrap_or(1),
            per_page: self.number("par_page", 1, MAX_PER_PAGE)?.unwrap_or(DEFAULT_PER_PAGE),
        })
    }

    /// The pairs of the query string, except `page`, in a stable order: the base of the links to
    /// the other pages.
    pub fn without_page(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<_> =
            self.0.iter().filter(|(k, _)| *k != "page").map(|(k, v)| (k.clone(), v.clone())).collect();
        pairs.sort();
        pairs
    }
}

fn url_pairs(raw: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw).unwrap_or_default()
}

/// At most 40 characters of a value, for a message.
fn shorten(value: &str) -> String {
    match value.chars().count() > 40 {
        true => format!("{}…", value.chars().take(40).collect::<String>()),
        false => value.to_owned(),
    }
}

/// Digits only, without a leading zero (but "0" itself).
fn plain_number(raw: &str) -> Option<usize> {
    let plain = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) && (raw == "0" || !raw.starts_with('0'));
    if plain { raw.parse().ok() } else { None }
}

/// A validated code read strictly: the parsed value must write back exactly as given (the
/// newtypes' own parsers forgive spaces and case, the API does not).
pub fn exact<T, E>(raw: &str, parse: impl FnOnce(&str) -> Result<T, E>, shown: impl Fn(&T) -> String) -> Option<T> {
    parse(raw).ok().filter(|value| shown(value) == raw)
}

/// Which page of a list, and how many items per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: usize,
    pub per_page: usize,
}

impl Paging {
    pub fn offset(self) -> i64 {
        ((self.page - 1) * self.per_page) as i64
    }

    pub fn limit(self) -> i64 {
        self.per_page as i64
    }
}

// The documents of the parameters.

/// A query parameter's document.
pub fn query(name: &str, description: &str, schema: ObjectBuilder) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema.build()))
        .build()
}

/// A path parameter's document.
pub fn path(name: &str, description: &str, schema: ObjectBuilder) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(schema.build()))
        .build()
}

pub fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

pub fn one_of(codes: &[&str]) -> ObjectBuilder {
    string().enum_values(Some(codes.iter().copied()))
}

pub fn pattern(pattern: &str) -> ObjectBuilder {
    string().pattern(Some(pattern))
}

/// A comma-separated list of what the `^…$` pattern `single` matches.
pub fn list_of(single: &str) -> ObjectBuilder {
    let item = single.trim_start_matches('^').trim_end_matches('$');
    pattern(&format!("^({item})(,({item}))*$"))
}

/// A comma-separated list of `codes`.
pub fn list_of_codes(codes: &[&str]) -> ObjectBuilder {
    list_of(&format!("^({})$", codes.join("|")))
}

pub fn integer(min: usize, max: usize) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(min as f64)).maximum(Some(max as f64))
}

/// A day, as `Day` reads it: ISO 8601, years 2000 to 2199.
pub fn date() -> ObjectBuilder {
    string().format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))).pattern(Some(shapes::DAY))
}

/// A type whose OpenAPI parameters are one path parameter, with an example of a real
/// identifier: `path_param!(Name, "code", "…", schema, "12202")`.
macro_rules! path_param {
    ($name:ident, $param:literal, $description:literal, $schema:expr, $example:expr) => {
        pub struct $name;

        impl utoipa::IntoParams for $name {
            fn into_params(
                _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
            ) -> Vec<utoipa::openapi::path::Parameter> {
                vec![$crate::open_api::params::path($param, $description, $schema.examples([$example]))]
            }
        }
    };
}
pub(crate) use path_param;

/// `page` and `par_page`.
pub fn paging_params() -> Vec<Parameter> {
    vec![
        query("page", "Numéro de la page, à partir de 1.", integer(1, MAX_PAGE).default(Some(1.into()))),
        query(
            "par_page",
            "Nombre d'éléments par page.",
            integer(1, MAX_PER_PAGE).default(Some(DEFAULT_PER_PAGE.into())),
        ),
    ]
}

/// The shapes of the codes, as regular expressions (they match what the newtypes accept).
pub mod shapes {
    pub const INSEE: &str = "^(2[AB][0-9]{3}|[0-9]{5})$";
    pub const DEPARTEMENT: &str = "^(2[AB]|0[1-9]|1[0-9]|2[1-9]|[3-9][0-9]|97[0-9])$";
    pub const SIREN: &str = "^[0-9]{9}$";
    pub const FINESS: &str = "^(2[AB][0-9]{7}|[0-9]{9})$";
    pub const REGION: &str = "^[0-9]{2}$";
    /// The years `Day` reads (2000 to 2199); the rest of the date is the `date` format's.
    pub const DAY: &str = "^2[01][0-9]{2}-[0-9]{2}-[0-9]{2}$";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_plain_digits() {
        assert_eq!(plain_number("12"), Some(12));
        assert_eq!(plain_number("0"), Some(0));
        for bad in ["", "+1", "01", "1.0", "-3", " 2", "1e3"] {
            assert_eq!(plain_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_parameter_given_twice_is_refused() {
        assert!(Params::parse(Some("dep=12&dep=31")).is_err());
        let params = Params::parse(Some("dep=12&page=2&q=m%C3%A9decin")).unwrap();
        assert_eq!(params.get("q"), Some("médecin"));
        assert_eq!(params.without_page(), vec![("dep".into(), "12".into()), ("q".into(), "médecin".into())]);
    }

    #[test]
    fn the_shapes_agree_with_the_newtypes() {
        use app::model::{DepartementCode, InseeCode};
        let insee = regex_like(shapes::INSEE);
        for code in ["12202", "2A004", "97101", "00000"] {
            assert_eq!(insee(code), InseeCode::parse(code).is_ok(), "{code}");
        }
        let dep = regex_like(shapes::DEPARTEMENT);
        for code in ["01", "12", "2A", "2B", "95", "971", "976", "00", "20", "96", "1", "123", "2C"] {
            assert_eq!(dep(code), DepartementCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn the_day_shape_holds_the_years_day_reads() {
        let day = regex_like(shapes::DAY);
        for raw in ["1999-12-31", "2000-01-01", "2199-12-31", "2200-01-01", "1675-11-13"] {
            assert_eq!(day(raw), app::model::Day::parse(raw).is_ok(), "{raw}");
        }
    }

    /// The few regular expressions above, checked by hand (no regex crate in the server).
    fn regex_like(shape: &'static str) -> impl Fn(&str) -> bool {
        move |code: &str| {
            let body = shape.trim_start_matches('^').trim_end_matches('$');
            let alternatives = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')).unwrap_or(body);
            alternatives.split('|').any(|alt| matches_simple(alt, code))
        }
    }

    /// Matches `alt` made of literal characters, `[..]` classes and `{n}` repeats.
    fn matches_simple(alt: &str, code: &str) -> bool {
        let mut classes: Vec<Vec<char>> = Vec::new();
        let chars: Vec<char> = alt.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '[' => {
                    let end = i + chars[i..].iter().position(|c| *c == ']').unwrap();
                    let body = &chars[i + 1..end];
                    let mut set = Vec::new();
                    let mut j = 0;
                    while j < body.len() {
                        if j + 2 < body.len() && body[j + 1] == '-' {
                            set.extend(body[j]..=body[j + 2]);
                            j += 3;
                        } else {
                            set.push(body[j]);
                            j += 1;
                        }
                    }
                    classes.push(set);
                    i = end + 1;
                }
                '{' => {
                    let end = i + chars[i..].iter().position(|c| *c == '}').unwrap();
                    let n: usize = chars[i + 1..end].iter().collect::<String>().parse().unwrap();
                    let last = classes.pop().unwrap();
                    classes.extend(std::iter::repeat_n(last, n));
                    i = end + 1;
                }
                c => {
                    classes.push(vec![c]);
                    i += 1;
                }
            }
        }
        let code: Vec<char> = code.chars().collect();
        code.len() == classes.len() && code.iter().zip(&classes).all(|(c, set)| set.contains(c))
    }
}
