//! Wire types of organisations, their members and moderation.

use super::DomainEvidence;
use serde::{Deserialize, Serialize};

/// What a page about organisations gets back: the content, or why not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Access<T> {
    Granted(T),
    /// Nobody is signed in.
    SignInRequired,
    /// Signed in, but this is for moderators.
    ModeratorsOnly,
    /// No such thing, or not one the visitor may see (the two are not told apart).
    NotFound,
}

/// The broad families of organisations, for grouping choices and wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrganisationFamily {
    Collectivite,
    Structure,
    Cabinet,
    Institution,
}

impl OrganisationFamily {
    pub const ALL: [OrganisationFamily; 4] = [Self::Collectivite, Self::Structure, Self::Cabinet, Self::Institution];

    pub fn label(self) -> &'static str {
        match self {
            Self::Collectivite => "Collectivité",
            Self::Structure => "Structure de santé",
            Self::Cabinet => "Cabinet individuel",
            Self::Institution => "Institution",
        }
    }
}

/// What identifies an organisation of a kind in the reference data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReferenceKind {
    /// A commune's INSEE code (communes, and the commune of a cabinet).
    Commune,
    /// An EPCI's SIREN number.
    Epci,
    /// A département's code.
    Departement,
    /// A FINESS number, when the structure has one.
    OptionalFiness,
    /// Nothing.
    None,
}

macro_rules! kinds {
    ($($variant:ident = $code:literal, $family:ident, $reference:ident, $label:literal;)*) => {
        /// Every kind of organisation, with its code in the database and its French label.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum OrganisationKind { $($variant,)* }

        impl OrganisationKind {
            pub const ALL: &[OrganisationKind] = &[$(Self::$variant,)*];
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)* }
            }
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)* _ => None }
            }
            pub fn family(self) -> OrganisationFamily {
                match self { $(Self::$variant => OrganisationFamily::$family,)* }
            }
            pub fn reference(self) -> ReferenceKind {
                match self { $(Self::$variant => ReferenceKind::$reference,)* }
            }
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)* }
            }
        }
    };
}

kinds! {
    Commune = "commune", Collectivite, Commune, "Commune";
    Epci = "epci", Collectivite, Epci, "Intercommunalité (EPCI)";
    Departement = "departement", Collectivite, Departement, "Département";
    Msp = "msp", Structure, OptionalFiness, "Maison de santé pluriprofessionnelle (MSP)";
    CentreSante = "centre_sante", Structure, OptionalFiness, "Centre de santé";
    Hopital = "hopital", Structure, OptionalFiness, "Hôpital, clinique ou autre établissement de santé";
    CabinetGroupe = "cabinet_groupe", Structure, OptionalFiness, "Cabinet de groupe";
    Cabinet = "cabinet", Cabinet, Commune, "Cabinet individuel (succession, association, collaboration, remplacement)";
    Ars = "ars", Institution, None, "Agence régionale de santé (ARS)";
    Urps = "urps", Institution, None, "Union régionale des professionnels de santé (URPS)";
    Ordre = "ordre", Institution, None, "Conseil de l'ordre des médecins";
}

impl OrganisationKind {
    /// The kinds of one family, in the order of `ALL`.
    pub fn of(family: OrganisationFamily) -> impl Iterator<Item = OrganisationKind> {
        Self::ALL.iter().copied().filter(move |k| k.family() == family)
    }
}

/// Where an organisation stands with moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrganisationStatus {
    Pending,
    Verified,
    Refused,
}

impl OrganisationStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "en_attente",
            Self::Verified => "verifiee",
            Self::Refused => "refusee",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Pending, Self::Verified, Self::Refused].into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "en attente de vérification",
            Self::Verified => "vérifiée",
            Self::Refused => "refusée",
        }
    }
}

/// A member's role in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Manages members and speaks for the organisation.
    Owner,
    Member,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Member => "member",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Owner, Self::Member].into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Owner => "propriétaire",
            Self::Member => "membre",
        }
    }
}

/// The territory or structure an organisation says it is, as found in the reference data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceView {
    /// "Code INSEE", "SIREN", "Code département", "FINESS".
    pub label: String,
    pub code: String,
    /// The name in the reference data; None for a FINESS number absent from the imported file.
    pub name: Option<String>,
    /// The portal's page of that territory (or of the structure's commune).
    pub path: Option<String>,
}

/// One of my organisations, in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationSummary {
    pub id: i64,
    pub kind: OrganisationKind,
    pub name: String,
    pub status: OrganisationStatus,
    pub role: Role,
    /// Unix seconds; None while it is open.
    pub closed_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: i64,
    pub display_name: String,
    /// Shown to owners and moderators only.
    pub email: Option<String>,
    pub role: Role,
    /// Unix seconds.
    pub since: i64,
    /// The visitor themself.
    pub is_me: bool,
}

/// An invitation not yet accepted, as its organisation's owners see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// Unix seconds.
    pub expires_at: i64,
}

/// One organisation, as a member (or a moderator) sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationDetail {
    pub id: i64,
    pub kind: OrganisationKind,
    pub name: String,
    pub reference: Option<ReferenceView>,
    pub status: OrganisationStatus,
    pub rejection_reason: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    pub verified_at: Option<i64>,
    /// The visitor's role; None for a moderator who is not a member.
    pub my_role: Option<Role>,
    pub members: Vec<Member>,
    /// Empty unless the visitor is an owner.
    pub invitations: Vec<PendingInvitation>,
    /// The code as typed in the form (INSEE, SIREN, département or FINESS), for editing.
    pub code: String,
    /// Unix seconds; None while it is open.
    pub closed_at: Option<i64>,
    /// What closing it would take offline or answer (owners of an open organisation only).
    pub in_progress: Option<InProgress>,
    /// The moderation's questions and the answers, oldest first (owners and moderators only).
    pub exchange: Vec<ExchangeEntry>,
}

impl OrganisationDetail {
    pub fn is_owner(&self) -> bool {
        self.my_role == Some(Role::Owner)
    }

    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }

    /// Owners may correct an organisation until moderation verifies it, while it is open.
    pub fn editable(&self) -> bool {
        self.is_owner() && self.status != OrganisationStatus::Verified && !self.is_closed()
    }

    /// Its owners answer the moderation's last question while it waits, open.
    pub fn answerable(&self) -> bool {
        self.is_owner()
            && self.status == OrganisationStatus::Pending
            && !self.is_closed()
            && awaiting_answer(&self.exchange)
    }
}

/// What an organisation has online or in progress: what closing it withdraws, cancels or
/// answers, and what keeps its only owner from deleting their account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InProgress {
    /// Published or drafted.
    pub offers: i64,
    /// Not yet answered with a final status.
    pub applications: i64,
    /// Not ended, not cancelled.
    pub events: i64,
    pub aids: i64,
    /// 0 or 1.
    pub territory_page: i64,
    pub stage_sites: i64,
    pub housing: i64,
    /// Not closed.
    pub cases: i64,
}

impl InProgress {
    pub fn is_empty(&self) -> bool {
        self.lines().is_empty()
    }

    /// One French line per kind of thing there is, e.g. "2 offres (publiées ou en brouillon)".
    pub fn lines(&self) -> Vec<String> {
        let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
        [
            (self.offers, "offre (publiée ou en brouillon)", "offres (publiées ou en brouillon)"),
            (self.applications, "candidature en cours", "candidatures en cours"),
            (self.events, "événement à venir", "événements à venir"),
            (self.aids, "aide publiée", "aides publiées"),
            (self.territory_page, "page de territoire publiée", "pages de territoire publiées"),
            (self.stage_sites, "terrain de stage ouvert", "terrains de stage ouverts"),
            (self.housing, "logement pour internes proposé", "logements pour internes proposés"),
            (self.cases, "demande du guichet unique en cours", "demandes du guichet unique en cours"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect()
    }
}

/// An organisation left without any owner (data from before the last owner could be kept
/// from leaving): moderators take it over or close it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerlessOrganisation {
    pub id: i64,
    pub kind: OrganisationKind,
    pub name: String,
    pub status: OrganisationStatus,
    /// Members left (none of them an owner).
    pub members: i64,
    pub in_progress: InProgress,
}

/// What the link of an invitation mail leads to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub organisation_id: i64,
    pub organisation: String,
    pub kind: OrganisationKind,
    pub email: String,
    pub inviter: Option<String>,
    pub role: Role,
    pub state: InvitationState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Open,
    /// Expired, withdrawn, or replaced by a newer invitation.
    Closed,
    Accepted,
}

/// An organisation waiting for moderation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedOrganisation {
    pub id: i64,
    pub kind: OrganisationKind,
    pub name: String,
    pub reference: Option<ReferenceView>,
    /// Unix seconds.
    pub created_at: i64,
    pub creator_name: Option<String>,
    pub creator_email: Option<String>,
    pub creator_verified: bool,
    /// What the requester's mail domain says (None once their account is deleted).
    pub domain: Option<DomainEvidence>,
    /// Every other organisation, whatever its status, with the same code (INSEE, SIREN,
    /// département or FINESS): a duplicate, or a territory that already has its organisation.
    /// The same kind first; at most `SAME_CODE_LIMIT`.
    pub same_code: Vec<RelatedOrganisation>,
    /// More organisations share the code than `same_code` lists.
    pub same_code_more: bool,
    /// The requester's other organisations, with their role in each.
    pub requester_organisations: Vec<RelatedOrganisation>,
    /// The moderation's questions and the requester's answers, oldest first.
    pub exchange: Vec<ExchangeEntry>,
}

/// Organisations listed with the same code in the moderation queue, at most.
pub const SAME_CODE_LIMIT: usize = 20;

/// Another organisation, as the moderation queue names it beside one waiting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelatedOrganisation {
    pub id: i64,
    pub kind: OrganisationKind,
    pub name: String,
    pub status: OrganisationStatus,
    pub closed: bool,
    /// The requester's role in it, in the list of their organisations.
    pub role: Option<Role>,
}

/// Who wrote a line of the exchange between the moderation and an organisation's owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExchangeSide {
    /// A moderator's question.
    Moderation,
    /// An owner's answer.
    Requester,
}

/// A question of the moderation, or an answer to it (both kept in the moderation log).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeEntry {
    /// Unix seconds.
    pub at: i64,
    pub side: ExchangeSide,
    /// The address of who wrote it; None to the owners for the moderation's (a moderator's
    /// address is not theirs to know), and once the account is deleted.
    pub author: Option<String>,
    pub text: String,
}

/// Whether the last line of `exchange` is a question nobody answered yet.
pub fn awaiting_answer(exchange: &[ExchangeEntry]) -> bool {
    exchange.last().is_some_and(|entry| entry.side == ExchangeSide::Moderation)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModerationAction {
    Approve,
    Reject,
    Resubmit,
    /// An owner (or, for an organisation without owner, a moderator) closed it.
    Close,
    /// A moderator became owner of an organisation that had none.
    TakeOver,
    /// A moderator asked the owners a question (the reason holds it); still waiting.
    Question,
    /// An owner answered the moderation's question (the reason holds the answer).
    Answer,
}

impl ModerationAction {
    pub fn code(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Resubmit => "resubmit",
            Self::Close => "close",
            Self::TakeOver => "take_over",
            Self::Question => "question",
            Self::Answer => "answer",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Approve, Self::Reject, Self::Resubmit, Self::Close, Self::TakeOver, Self::Question, Self::Answer]
            .into_iter()
            .find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Approve => "vérifiée",
            Self::Reject => "refusée",
            Self::Resubmit => "corrigée et soumise de nouveau",
            Self::Close => "fermée",
            Self::TakeOver => "reprise par la modération (plus de propriétaire)",
            Self::Question => "question au demandeur",
            Self::Answer => "réponse du demandeur",
        }
    }
}

/// A row of the moderation audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Unix seconds.
    pub at: i64,
    /// None once the actor's account is deleted (the row stays, anonymised).
    pub actor_email: Option<String>,
    pub action: ModerationAction,
    pub organisation_id: i64,
    pub organisation: String,
    pub reason: Option<String>,
}

/// A mail the outbox worker gave up on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedMailRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub template: String,
    /// Unix seconds.
    pub queued_at: i64,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// Everything the moderation page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModerationPage {
    pub queue: Vec<QueuedOrganisation>,
    /// Newest first, at most `LOG_LIMIT`.
    pub log: Vec<LogEntry>,
    pub failed_mails: Vec<FailedMailRow>,
    /// Open organisations without an owner.
    pub ownerless: Vec<OwnerlessOrganisation>,
}

/// Log rows the moderation page shows.
pub const LOG_LIMIT: i64 = 200;
