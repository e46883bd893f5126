//! Wire types of organisations, their members and moderation.

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
}

impl OrganisationDetail {
    pub fn is_owner(&self) -> bool {
        self.my_role == Some(Role::Owner)
    }

    /// Owners may correct an organisation until moderation verifies it.
    pub fn editable(&self) -> bool {
        self.is_owner() && self.status != OrganisationStatus::Verified
    }
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
    /// Other organisations (not refused) with the same territory or FINESS: possible duplicates.
    pub same_reference: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModerationAction {
    Approve,
    Reject,
    Resubmit,
}

impl ModerationAction {
    pub fn code(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Resubmit => "resubmit",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Approve, Self::Reject, Self::Resubmit].into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Approve => "vérifiée",
            Self::Reject => "refusée",
            Self::Resubmit => "corrigée et soumise de nouveau",
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
}

/// Log rows the moderation page shows.
pub const LOG_LIMIT: i64 = 200;
