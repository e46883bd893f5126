//! Mail templates: a plain-text and an HTML file per mail under server/templates/mail, embedded
//! in the binary. The first line of the text file is the subject (`Subject: …`). The HTML file
//! is the mail's own part only: every mail shares one frame (`_cadre.html`: the page, the
//! portal's name, the signature), titled with the subject. Values go into `{{variable}}`
//! placeholders, HTML-escaped in the HTML version, with the French spacing of the pages (a title
//! or a message someone typed: `app::format::spaced`); a placeholder without a value, or a value
//! without a placeholder, is an error rather than a mail with a hole in it.

use std::collections::BTreeSet;

/// Every mail the portal sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Template {
    /// Confirms the address of a new account: `nom`, `lien`.
    Verification,
    /// Lets a user choose a new password: `nom`, `lien`.
    Reinitialisation,
    /// Confirms the new address of an account: `nom`, `lien`.
    ChangementEmail,
    /// Invites someone to join an organisation: `organisation`, `invitant`, `lien`, `echeance`
    /// (the day the link ends).
    Invitation,
    /// Tells a member that moderation verified the organisation: `nom`, `organisation`, `lien`.
    OrganisationVerifiee,
    /// Tells a member that moderation refused the organisation: `nom`, `organisation`, `motif`.
    OrganisationRefusee,
    /// Asks a member whether an offer about to end is still open: `nom`, `offre`, `date`, `lien`.
    OffreAReconfirmer,
    /// New offers of a saved search: `nom`, `recherche`, `offres`, `lien`, `desabonnement`.
    AlerteOffres,
    /// New stage sites of an interns' alert: `nom`, `recherche`, `terrains`, `lien`,
    /// `desabonnement`.
    AlerteTerrains,
    /// Tells a member of an organisation that someone applied to its offer: `nom`, `offre`,
    /// `candidat`, `lien`.
    CandidatureRecue,
    /// Tells one side of an application that the other wrote: `nom`, `offre`, `auteur`,
    /// `message`, `lien`.
    CandidatureMessage,
    /// Tells a candidate that their application changed status: `nom`, `offre`, `statut`, `lien`.
    CandidatureStatut,
    /// Tells a candidate of several changes to their application made within minutes (status,
    /// messages), in one mail: `nom`, `offre`, `nouvelles` (one line each), `lien`.
    CandidatureNouvelles,
    /// Tells a member that the candidate withdrew: `nom`, `offre`, `candidat`, `lien`.
    CandidatureRetiree,
    /// Tells a candidate that the organisation closed, answering their application:
    /// `nom`, `offre`, `message`, `lien`.
    CandidatureClose,
    /// Tells a person registered (or waiting) that an event is cancelled: `nom`, `evenement`,
    /// `date`, `message`, `lien`.
    EvenementAnnule,
    /// Tells a member that another closed the organisation: `nom`, `organisation`, `auteur`,
    /// `lien`.
    OrganisationFermee,
    /// Tells a territory's referent that someone opened a case: `nom`, `organisation`,
    /// `auteur`, `objet`, `message`, `lien`.
    DossierNouveau,
    /// Tells one side of a case that the other wrote: `nom`, `organisation`, `auteur`, `objet`,
    /// `message`, `lien`.
    DossierMessage,
    /// Asks an owner of an organisation waiting for verification the moderation's question, to
    /// answer on its page: `nom`, `organisation`, `question`, `lien`.
    ModerationQuestion,
}

/// A template filled with its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// One line, without control characters.
    pub subject: String,
    /// The text/plain part.
    pub text: String,
    /// The text/html part.
    pub html: String,
}

/// A template and its values do not fit together (a bug in the calling code, never user input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The template has a placeholder for which no value was given.
    #[error("modèle de courriel « {template} » : aucune valeur pour la variable « {variable} »")]
    Missing { template: &'static str, variable: String },
    /// A value was given for a variable the template does not use (a typo, most likely).
    #[error("modèle de courriel « {template} » : variable « {variable} » inconnue")]
    Unknown { template: &'static str, variable: String },
    /// The template file itself is broken (caught by the unit tests, before any release).
    #[error("modèle de courriel « {template} » ({file}) mal formé : {reason}")]
    Malformed { template: &'static str, file: &'static str, reason: String },
}

/// The HTML around every mail's own part; its two slots are filled by `render`, never by values.
const FRAME: &str = include_str!("../../templates/mail/_cadre.html");

macro_rules! sources {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../templates/mail/", $name, ".txt")),
            include_str!(concat!("../../templates/mail/", $name, ".html")),
        )
    };
}

impl Template {
    /// All templates, for tests and listings.
    pub const ALL: [Template; 20] = [
        Template::Verification,
        Template::Reinitialisation,
        Template::ChangementEmail,
        Template::Invitation,
        Template::OrganisationVerifiee,
        Template::OrganisationRefusee,
        Template::OffreAReconfirmer,
        Template::AlerteOffres,
        Template::AlerteTerrains,
        Template::CandidatureRecue,
        Template::CandidatureMessage,
        Template::CandidatureStatut,
        Template::CandidatureNouvelles,
        Template::CandidatureRetiree,
        Template::CandidatureClose,
        Template::EvenementAnnule,
        Template::OrganisationFermee,
        Template::DossierNouveau,
        Template::DossierMessage,
        Template::ModerationQuestion,
    ];

    /// The file name without extension, also stored with each mail of the outbox.
    pub fn name(self) -> &'static str {
        self.sources().0
    }

    /// The template named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    fn sources(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Template::Verification => sources!("verification"),
            Template::Reinitialisation => sources!("reinitialisation"),
            Template::ChangementEmail => sources!("changement-email"),
            Template::Invitation => sources!("invitation"),
            Template::OrganisationVerifiee => sources!("organisation-verifiee"),
            Template::OrganisationRefusee => sources!("organisation-refusee"),
            Template::OffreAReconfirmer => sources!("offre-a-reconfirmer"),
            Template::AlerteOffres => sources!("alerte-offres"),
            Template::AlerteTerrains => sources!("alerte-terrains"),
            Template::CandidatureRecue => sources!("candidature-recue"),
            Template::CandidatureMessage => sources!("candidature-message"),
            Template::CandidatureStatut => sources!("candidature-statut"),
            Template::CandidatureNouvelles => sources!("candidature-nouvelles"),
            Template::CandidatureRetiree => sources!("candidature-retiree"),
            Template::CandidatureClose => sources!("candidature-close"),
            Template::EvenementAnnule => sources!("evenement-annule"),
            Template::OrganisationFermee => sources!("organisation-fermee"),
            Template::DossierNouveau => sources!("dossier-nouveau"),
            Template::DossierMessage => sources!("dossier-message"),
            Template::ModerationQuestion => sources!("moderation-question"),
        }
    }

    /// The variables the template uses, in its subject, text or HTML.
    pub fn variables(self) -> Result<BTreeSet<&'static str>, TemplateError> {
        let (name, text, html) = self.sources();
        let mut names = BTreeSet::new();
        for (file, source) in [("txt", text), ("html", html)] {
            for piece in parse(source).map_err(|reason| TemplateError::Malformed { template: name, file, reason })? {
                if let Piece::Variable(variable) = piece {
                    names.insert(variable);
                }
            }
        }
        Ok(names)
    }

    /// Fills the template with `values` (name, value).
    pub fn render(self, values: &[(&str, &str)]) -> Result<Rendered, TemplateError> {
        let (name, text_source, html_source) = self.sources();
        let used = self.variables()?;
        if let Some((unknown, _)) = values.iter().find(|(variable, _)| !used.contains(*variable)) {
            return Err(TemplateError::Unknown { template: name, variable: (*unknown).to_owned() });
        }
        let (subject_line, text_body) = text_source.split_once('\n').unwrap_or((text_source, ""));
        let subject_source = subject_line.strip_prefix("Subject: ").ok_or_else(|| TemplateError::Malformed {
            template: name,
            file: "txt",
            reason: "la première ligne doit être « Subject: … »".to_owned(),
        })?;
        let subject = fill((name, "txt"), subject_source, values, one_line)?;
        let text = fill((name, "txt"), text_body.trim_start_matches('\n'), values, str::to_owned)?;
        let body = fill((name, "html"), html_source, values, escape_html)?;
        let subject = subject.trim().to_owned();
        // One pass over the frame's own pieces: a value that reads like a slot stays text.
        let title = escape_html(&subject);
        let slots = [("titre", title.as_str()), ("corps", body.trim_end())];
        let html = fill(("_cadre", "html"), FRAME, &slots, str::to_owned)?;
        Ok(Rendered { subject, text, html })
    }
}

/// Replaces each placeholder of `source` (from `file` of `template`) with its value, spaced the
/// French way and escaped.
fn fill(
    (template, file): (&'static str, &'static str),
    source: &str,
    values: &[(&str, &str)],
    escape: fn(&str) -> String,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(source.len() + 256);
    for piece in parse(source).map_err(|reason| TemplateError::Malformed { template, file, reason })? {
        match piece {
            Piece::Literal(literal) => out.push_str(literal),
            Piece::Variable(variable) => {
                let (_, value) = values
                    .iter()
                    .find(|(name, _)| *name == variable)
                    .ok_or_else(|| TemplateError::Missing { template, variable: variable.to_owned() })?;
                out.push_str(&escape(&app::format::spaced(value)));
            }
        }
    }
    Ok(out)
}

enum Piece<'a> {
    Literal(&'a str),
    Variable(&'a str),
}

/// Splits a source into literal text and `{{name}}` placeholders (lowercase letters and `_`).
fn parse(source: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut pieces = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("{{") {
        pieces.push(Piece::Literal(&rest[..start]));
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| format!("« {{{{ » sans « }}}} » : {}", excerpt(after)))?;
        let variable = after[..end].trim();
        if variable.is_empty() || !variable.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(format!("nom de variable invalide « {} »", &after[..end]));
        }
        pieces.push(Piece::Variable(variable));
        rest = &after[end + 2..];
    }
    pieces.push(Piece::Literal(rest));
    Ok(pieces)
}

fn excerpt(s: &str) -> String {
    s.chars().take(30).collect()
}

/// Escapes text for HTML content and quoted attribute values.
fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A value fit for the subject: a line break there would start a new header line.
fn one_line(value: &str) -> String {
    value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://medecins-territoires.example/compte/verifier?jeton=abc&x=1";

    fn values_for(template: Template) -> Vec<(&'static str, &'static str)> {
        template
            .variables()
            .unwrap()
            .into_iter()
            .map(|v| {
                (
                    v,
                    match v {
                        "lien" => LINK,
                        "nom" => "Camille Martin",
                        "organisation" => "MSP du Lévézou",
                        "invitant" => "Dr Jeanne Roux",
                        "motif" => "Le numéro SIRET ne correspond pas.",
                        _ => "valeur",
                    },
                )
            })
            .collect()
    }

    #[test]
    fn every_template_uses_the_variables_it_is_documented_with() {
        let expected: [(Template, &[&str]); 11] = [
            (Template::Verification, &["lien", "nom"]),
            (Template::Reinitialisation, &["lien", "nom"]),
            (Template::ChangementEmail, &["lien", "nom"]),
            (Template::Invitation, &["echeance", "invitant", "lien", "organisation"]),
            (Template::OrganisationVerifiee, &["lien", "nom", "organisation"]),
            (Template::OrganisationRefusee, &["motif", "nom", "organisation"]),
            (Template::CandidatureRecue, &["candidat", "lien", "nom", "offre"]),
            (Template::CandidatureMessage, &["auteur", "lien", "message", "nom", "offre"]),
            (Template::CandidatureStatut, &["lien", "nom", "offre", "statut"]),
            (Template::CandidatureRetiree, &["candidat", "lien", "nom", "offre"]),
            (Template::ModerationQuestion, &["lien", "nom", "organisation", "question"]),
        ];
        for (template, variables) in expected {
            assert_eq!(template.variables().unwrap().into_iter().collect::<Vec<_>>(), variables, "{template:?}");
        }
    }

    #[test]
    fn every_template_renders_a_subject_a_text_and_an_html_with_every_value() {
        for template in Template::ALL {
            let values = values_for(template);
            let mail = template.render(&values).unwrap();
            assert!(!mail.subject.is_empty() && !mail.subject.contains('\n'), "{template:?}");
            assert!(!mail.text.starts_with("Subject:") && !mail.text.starts_with('\n'), "{template:?}");
            assert!(mail.html.starts_with("<!DOCTYPE html>") && mail.html.contains("lang=\"fr\""), "{template:?}");
            for (_, value) in &values {
                let in_text = mail.text.contains(value) || mail.subject.contains(value);
                assert!(in_text, "{template:?}: {value} absent from the text");
                assert!(mail.html.contains(&escape_html(value)), "{template:?}: {value} absent from the HTML");
            }
            assert!(!mail.text.contains("{{") && !mail.html.contains("{{"), "{template:?}");
            assert_eq!(Template::from_name(template.name()), Some(template));
        }
    }

    #[test]
    fn values_are_escaped_in_html_and_kept_as_is_in_text() {
        let mail = Template::OrganisationRefusee
            .render(&[
                ("nom", "Léa <b>\"L'ange\"</b>"),
                ("organisation", "Mairie & CCAS"),
                ("motif", "<script>alert(1)</script>"),
            ])
            .unwrap();
        assert!(mail.text.contains("Bonjour Léa <b>\"L'ange\"</b>,"));
        assert!(mail.text.contains("<script>alert(1)</script>"));
        assert!(mail.html.contains("Bonjour Léa &lt;b&gt;&quot;L&#39;ange&quot;&lt;/b&gt;,"));
        assert!(mail.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!mail.html.contains("<script>"));
        assert_eq!(mail.subject, "Votre demande pour Mairie & CCAS n'a pas été acceptée");
    }

    #[test]
    fn a_typed_value_gets_the_french_spacing_of_the_pages() {
        let values = [("nom", "Léa"), ("organisation", "Mairie : CCAS"), ("motif", "Qui signe ? « Le maire »")];
        let mail = Template::OrganisationRefusee.render(&values).unwrap();
        assert_eq!(mail.subject, "Votre demande pour Mairie\u{a0}: CCAS n'a pas été acceptée");
        assert!(mail.text.contains("Qui signe\u{a0}? «\u{a0}Le maire\u{a0}»"), "{}", mail.text);
        assert!(mail.html.contains("Qui signe\u{a0}? «\u{a0}Le maire\u{a0}»"), "{}", mail.html);
    }

    #[test]
    fn a_link_is_escaped_inside_the_href_attribute() {
        let mail = Template::Verification.render(&[("nom", "Camille"), ("lien", LINK)]).unwrap();
        assert!(mail.html.contains("href=\"https://medecins-territoires.example/compte/verifier?jeton=abc&amp;x=1\""));
        assert!(mail.text.contains(LINK));
        let quote = Template::Verification.render(&[("nom", "x"), ("lien", "https://e.fr/\" onclick=\"x")]).unwrap();
        assert!(quote.html.contains("href=\"https://e.fr/&quot; onclick=&quot;x\""));
    }

    #[test]
    fn every_mail_is_framed_alike_and_titled_with_its_subject() {
        let slots: Vec<_> = parse(FRAME)
            .unwrap()
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Variable(name) => Some(name),
                Piece::Literal(_) => None,
            })
            .collect();
        assert_eq!(slots, ["titre", "corps"]);
        let (head, tail) = FRAME.split_once("{{corps}}").unwrap();
        let (before_title, after_title) = head.split_once("{{titre}}").unwrap();
        for template in Template::ALL {
            let mail = template.render(&values_for(template)).unwrap();
            assert!(mail.html.starts_with(before_title) && mail.html.ends_with(tail), "{template:?}");
            let title = format!("{}{after_title}", escape_html(&mail.subject));
            assert!(mail.html[before_title.len()..].starts_with(&title), "{template:?}");
            let (_, _, html) = template.sources();
            assert!(!html.contains("<body") && !html.contains("{{corps}}"), "{template:?}: its own part only");
        }
        // A value that reads like a slot of the frame is text like any other.
        let mail = Template::OrganisationRefusee
            .render(&[("nom", "{{corps}}"), ("organisation", "{{titre}}"), ("motif", "m")])
            .unwrap();
        assert_eq!(mail.html.matches("{{titre}}").count(), 2, "the title and the body, as typed");
        assert!(mail.html.contains("Bonjour {{corps}},"));
    }

    #[test]
    fn a_missing_value_is_an_error() {
        let error = Template::Verification.render(&[("nom", "Camille")]).unwrap_err();
        assert_eq!(error, TemplateError::Missing { template: "verification", variable: "lien".to_owned() });
        assert!(error.to_string().contains("aucune valeur pour la variable « lien »"));
    }

    #[test]
    fn an_unknown_value_is_an_error() {
        let error = Template::Verification.render(&[("nom", "Camille"), ("lien", LINK), ("prenom", "x")]).unwrap_err();
        assert_eq!(error, TemplateError::Unknown { template: "verification", variable: "prenom".to_owned() });
    }

    #[test]
    fn a_line_break_in_a_value_cannot_reach_the_subject_headers() {
        let mail = Template::Invitation
            .render(&[
                ("organisation", "MSP\r\nBcc: x@example.org"),
                ("invitant", "Jeanne"),
                ("lien", LINK),
                ("echeance", "12 décembre 2026"),
            ])
            .unwrap();
        assert_eq!(mail.subject, "Jeanne vous invite à rejoindre MSP  Bcc: x@example.org");
        assert!(mail.text.contains("MSP\r\nBcc"), "the body keeps the value as written");
    }

    #[test]
    fn placeholders_are_parsed_strictly() {
        let variables = |source| -> Result<Vec<String>, String> {
            Ok(parse(source)?
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Variable(v) => Some(v.to_owned()),
                    Piece::Literal(_) => None,
                })
                .collect())
        };
        assert_eq!(variables("a {{nom}} b {{ lien }}c").unwrap(), ["nom", "lien"]);
        assert_eq!(variables("pas de variable").unwrap(), Vec::<String>::new());
        assert!(variables("a {{nom b").unwrap_err().contains("sans"));
        assert!(variables("a {{}} b").unwrap_err().contains("invalide"));
        assert!(variables("a {{Nom-1}} b").unwrap_err().contains("invalide"));
    }
}
