//! An address of the site, written once. Its pattern names its variable segments `{…}`: the
//! server's router takes it as it is (axum reads the same `{name}` segments), the page router
//! matches it (it is a route path, below), the page cache looks it up and the pages fill it.

use leptos_router::{ParamSegment, PartialPathMatch, PathSegment, PossibleRouteMatch, StaticSegment};
use std::fmt::Display;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Address(pub &'static str);

/// One segment of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    Fixed(&'static str),
    /// `{name}`.
    Variable(&'static str),
}

impl Address {
    /// As the server's router wants it.
    pub const fn pattern(self) -> &'static str {
        self.0
    }

    /// With its one placeholder filled.
    pub fn of(self, value: impl Display) -> String {
        self.fill(&[&value])
    }

    /// With its two placeholders filled, in order.
    pub fn of2(self, first: impl Display, second: impl Display) -> String {
        self.fill(&[&first, &second])
    }

    /// Whether `path` (without query) is one of its addresses, as the page router decides it
    /// (below): a variable segment is never empty, a trailing slash is the same address. A
    /// pattern whose fixed segments differ stops at the first one, before any allocation, which
    /// the page cache relies on as it tries its rules on every request.
    pub fn matches(self, path: &str) -> bool {
        self.test(path).is_some_and(|found| matches!(found.remaining(), "" | "/"))
    }

    fn segments(self) -> impl Iterator<Item = Segment> {
        self.0.split('/').filter(|part| !part.is_empty()).map(|part| {
            match part.strip_prefix('{').and_then(|name| name.strip_suffix('}')) {
                Some(name) => Segment::Variable(name),
                None => Segment::Fixed(part),
            }
        })
    }

    fn fill(self, values: &[&dyn Display]) -> String {
        let mut out = String::with_capacity(self.0.len() + 8);
        let mut values = values.iter();
        for segment in self.segments() {
            out.push('/');
            match segment {
                Segment::Fixed(fixed) => out.push_str(fixed),
                Segment::Variable(name) => match values.next() {
                    Some(value) => out.push_str(&value.to_string()),
                    // A missing value is a bug of the page that calls: the placeholder shows.
                    None => out.push_str(&format!("{{{name}}}")),
                },
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }
}

/// An address is the page router's path for its page, segment by segment as `path!` builds
/// it: the route table names the same constants as the links.
impl PossibleRouteMatch for Address {
    fn optional(&self) -> bool {
        false
    }

    fn test<'a>(&self, path: &'a str) -> Option<PartialPathMatch<'a>> {
        let (mut remaining, mut matched, mut params) = (path, 0, Vec::new());
        for segment in self.segments() {
            let step = match segment {
                Segment::Fixed(fixed) => StaticSegment(fixed).test(remaining)?,
                Segment::Variable(name) => ParamSegment(name).test(remaining)?,
            };
            matched += step.matched().len();
            remaining = step.remaining();
            params.extend(step.params());
        }
        Some(PartialPathMatch::new(remaining, params, &path[..matched]))
    }

    fn generate_path(&self, path: &mut Vec<PathSegment>) {
        for segment in self.segments() {
            path.push(match segment {
                Segment::Fixed(fixed) => PathSegment::Static(fixed.into()),
                Segment::Variable(name) => PathSegment::Param(name.into()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_filled_in_order() {
        let one = Address("/offres/{offre}/publication");
        assert_eq!(one.of(42), "/offres/42/publication");
        assert_eq!(one.pattern(), "/offres/{offre}/publication");
        let two = Address("/organisations/{organisation}/territoire/photos/{photo}/suppression");
        assert_eq!(two.of2(3, 9), "/organisations/3/territoire/photos/9/suppression");
        assert_eq!(Address("/evenements/{id}/agenda.ics").of(5), "/evenements/5/agenda.ics");
        assert_eq!(Address("/communes/{commune}").of("12202-rodez"), "/communes/12202-rodez");
        assert_eq!(Address("/").pattern(), "/");
    }

    #[test]
    fn an_address_matches_its_own_paths_only() {
        let offer = Address("/offres/{offre}");
        assert!(offer.matches("/offres/42-remplacement"));
        assert!(offer.matches("/offres/42/"));
        assert!(!offer.matches("/offres"));
        assert!(!offer.matches("/offres/"));
        assert!(!offer.matches("/offres/42/candidats"));
        assert!(!offer.matches("/offre/42"));
        assert!(!offer.matches("/offresx/42"));
        assert!(Address("/").matches("/"));
        assert!(!Address("/").matches("/offres"));
        assert!(Address("/a/{x}/b/{y}").matches("/a/1/b/2"));
        assert!(!Address("/a/{x}/b/{y}").matches("/a/1/b/"));
    }

    /// The router reads an address as it reads the same pattern written for `path!`.
    #[test]
    fn an_address_routes_as_the_path_macro_does() {
        use leptos_router::path;
        let pairs: [(Address, Box<dyn PossibleRouteMatch>); 3] = [
            (Address("/"), Box::new(path!("/"))),
            (Address("/offres"), Box::new(path!("/offres"))),
            (Address("/offres/{offre}/candidats"), Box::new(path!("/offres/:offre/candidats"))),
        ];
        let paths = ["/", "", "/offres", "/offres/", "/offres/42-x/candidats", "/offres/42-x", "/offresx", "/x"];
        for (address, macro_made) in pairs {
            for path in paths {
                let ours = address.test(path).map(|m| (m.matched().to_owned(), m.remaining().to_owned(), m.params()));
                let theirs =
                    macro_made.test(path).map(|m| (m.matched().to_owned(), m.remaining().to_owned(), m.params()));
                assert_eq!(ours, theirs, "{} on {path}", address.pattern());
            }
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            address.generate_path(&mut ours);
            macro_made.generate_path(&mut theirs);
            assert_eq!(ours, theirs, "{}", address.pattern());
        }
    }
}
