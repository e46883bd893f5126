//! Wire types of territory promotion pages and of the guichet unique.

use crate::domain::territory::TerritoryRef;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

choices! {
    /// The "cadre de vie" sections a territory page may fill, in page order.
    Section {
        Ecoles = "ecoles" => "Écoles et crèches",
        Transports = "transports" => "Transports",
        Culture = "culture" => "Culture",
        Sport = "sport" => "Sport",
        Nature = "nature" => "Nature",
        Commerces = "commerces" => "Commerces et services",
        EmploiConjoint = "emploi_conjoint" => "Emploi du conjoint",
        Logement = "logement" => "Logement",
        Numerique = "numerique" => "Couverture numérique",
    }
}

/// What a collectivité writes, as stored in each revision (Markdown texts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageContent {
    pub presentation: String,
    /// Section code → Markdown; empty sections are left out.
    pub sections: BTreeMap<String, String>,
    /// A video about the territory (https link), or empty.
    pub video_url: String,
    /// The member who answers the guichet unique.
    pub referent_id: Option<i64>,
    /// Their role as shown ("chargée de l'accueil des professionnels de santé").
    pub referent_role: String,
}

impl PageContent {
    pub fn section(&self, section: Section) -> &str {
        self.sections.get(section.code()).map(String::as_str).unwrap_or_default()
    }
}

/// A photo of the territory or of an ambassador.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoView {
    pub id: i64,
    pub alt: String,
    pub credit: String,
    pub width: i64,
    pub height: i64,
}

/// An ambassador's testimonial, with the consent that allows it to be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestimonialView {
    pub id: i64,
    pub name: String,
    pub role: String,
    /// Sanitised HTML of the quote.
    pub quote_html: String,
    pub photo: Option<PhotoView>,
    /// Unix seconds: when the person's consent was recorded.
    pub consent_at: i64,
}

/// One "cadre de vie" section, rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedSection {
    pub code: String,
    pub label: String,
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferentView {
    pub name: String,
    pub role: String,
}

choices! {
    /// The level of a territory whose page may have a guichet unique (the codes of its
    /// collectivité's kind).
    GuichetLevel {
        Commune = "commune" => "commune",
        Epci = "epci" => "intercommunalité",
        Departement = "departement" => "département",
    }
}

/// A territory whose guichet unique answers: its verified collectivité's published page names
/// a referent who is still one of its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guichet {
    /// The collectivité, to which the guichet's form writes.
    pub organisation_id: i64,
    pub organisation_name: String,
    pub level: GuichetLevel,
    pub territory: TerritoryRef,
    /// Its département (an intercommunalité's: the one where most of its inhabitants live).
    pub departement: TerritoryRef,
    pub referent: ReferentView,
    /// A demonstration organisation's (`server exemples`).
    pub example: bool,
}

/// Who answers the guichet unique on a territory's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuichetHere {
    /// The territory's own published page names its referent (shown with the page).
    Own,
    /// Nobody here: the nearest territory above that has a referent (a commune's
    /// intercommunalité, then its département; an intercommunalité's département).
    Above(Guichet),
    /// Nobody here nor above; how many territories have a referent elsewhere.
    Nowhere { elsewhere: i64 },
}

/// What a territory's page shows of its collectivité: its published page, if any, and where
/// its guichet unique is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicPromotion {
    pub page: Option<Promotion>,
    pub guichet: GuichetHere,
}

/// The territories that have a referent, by département.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartementGuichets {
    pub departement: TerritoryRef,
    /// Communes, then intercommunalités, then the département itself; empty: none yet.
    pub guichets: Vec<Guichet>,
}

/// The public list of the guichets uniques: every département, with its territories that have
/// a referent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuichetsPage {
    pub departements: Vec<DepartementGuichets>,
}

impl GuichetsPage {
    /// How many territories have a referent.
    pub fn count(&self) -> usize {
        self.departements.iter().map(|d| d.guichets.len()).sum()
    }
}

/// A territory page as the public sees it (or as its editors preview it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// A demonstration organisation's (`server exemples`): marked « exemple », not indexed.
    pub example: bool,
    /// Sanitised HTML of the presentation.
    pub presentation_html: String,
    pub sections: Vec<RenderedSection>,
    pub video_url: Option<String>,
    pub photos: Vec<PhotoView>,
    pub testimonials: Vec<TestimonialView>,
    pub referent: Option<ReferentView>,
    /// Unix seconds of the revision shown.
    pub revised_at: i64,
}

/// One revision in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionRow {
    pub id: i64,
    pub created_at: i64,
    pub author: String,
    pub note: Option<String>,
    pub published: bool,
}

/// A member who may be named referent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberChoice {
    pub user_id: i64,
    pub name: String,
}

/// The editor of a collectivité's territory page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromotionEditor {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// The public page it appears on.
    pub territory: TerritoryRef,
    /// Only a verified collectivité publishes; it may prepare before.
    pub verified: bool,
    /// The latest revision (draft or published), or empty.
    pub content: PageContent,
    /// The latest revision rendered, for the preview; None before the first save.
    pub preview: Option<Promotion>,
    /// The latest revision's id, and whether it is the published one.
    pub latest_revision: Option<i64>,
    pub latest_published: bool,
    pub members: Vec<MemberChoice>,
    pub photos: Vec<PhotoView>,
    pub testimonials: Vec<TestimonialView>,
    pub revisions: Vec<RevisionRow>,
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseStatus {
    Nouveau,
    EnCours,
    Clos,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 3] = [Self::Nouveau, Self::EnCours, Self::Clos];

    pub fn code(self) -> &'static str {
        match self {
            Self::Nouveau => "nouveau",
            Self::EnCours => "en_cours",
            Self::Clos => "clos",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Nouveau => "Nouveau",
            Self::EnCours => "En cours",
            Self::Clos => "Clos",
        }
    }
}

/// A case in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: i64,
    pub subject: String,
    pub status: CaseStatus,
    pub organisation_name: String,
    pub requester: String,
    pub referent: Option<String>,
    pub updated_at: i64,
    pub messages: i64,
}

/// The guichet unique of the signed-in person: what they asked, and what they answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasesPage {
    pub asked: Vec<CaseRow>,
    /// Cases of the organisations they belong to.
    pub received: Vec<CaseRow>,
    /// How many territories have a referent to write to (the list of the guichets uniques).
    pub guichets: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMessage {
    pub author: String,
    /// From the collectivité's side.
    pub from_referent: bool,
    pub body: String,
    pub created_at: i64,
}

/// One case, for its requester and the members of its collectivité.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub id: i64,
    pub subject: String,
    pub status: CaseStatus,
    pub organisation_name: String,
    pub requester: String,
    pub referent: Option<String>,
    /// The viewer answers for the collectivité (may change the status).
    pub viewer_is_referent_side: bool,
    pub created_at: i64,
    pub messages: Vec<CaseMessage>,
}
