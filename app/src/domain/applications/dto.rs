//! Wire types of applications, and the pipeline's rules (shared: the page offers the moves the
//! server accepts).

use serde::{Deserialize, Serialize};

/// The longest message, of an application or in its thread (characters).
pub const MESSAGE_MAX: usize = 5_000;
/// Each message reaches someone's mailbox: one person writes at most this many in an hour,
/// across all their threads (generous for a person, short for a script).
pub const MESSAGES_PER_HOUR: i64 = 20;
/// One person sends at most this many applications in 24 hours.
pub const APPLICATIONS_PER_DAY: i64 = 15;
/// The largest CV (bytes): 5 MB.
pub const CV_MAX_BYTES: usize = 5 * 1024 * 1024;

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplicationStatus {
    Envoyee,
    /// A member of the organisation opened it (set by the server, never chosen).
    Lue,
    EnDiscussion,
    Entretien,
    Acceptee,
    Refusee,
    /// The candidate withdrew it.
    Retiree,
}

impl ApplicationStatus {
    pub const ALL: &[ApplicationStatus] =
        &[Self::Envoyee, Self::Lue, Self::EnDiscussion, Self::Entretien, Self::Acceptee, Self::Refusee, Self::Retiree];

    pub fn code(self) -> &'static str {
        match self {
            Self::Envoyee => "envoyee",
            Self::Lue => "lue",
            Self::EnDiscussion => "en_discussion",
            Self::Entretien => "entretien",
            Self::Acceptee => "acceptee",
            Self::Refusee => "refusee",
            Self::Retiree => "retiree",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Envoyee => "envoyée",
            Self::Lue => "lue",
            Self::EnDiscussion => "en discussion",
            Self::Entretien => "entretien",
            Self::Acceptee => "acceptée",
            Self::Refusee => "refusée",
            Self::Retiree => "retirée",
        }
    }

    /// Nothing moves a final application any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Acceptee | Self::Refusee | Self::Retiree)
    }

    fn rank(self) -> u8 {
        match self {
            Self::Envoyee => 0,
            Self::Lue => 1,
            Self::EnDiscussion => 2,
            Self::Entretien => 3,
            Self::Acceptee | Self::Refusee | Self::Retiree => 4,
        }
    }

    /// Whether the organisation's members may move an application from `self` to `to`:
    /// forward along « en discussion → entretien → acceptée », steps may be skipped, and
    /// « refusée » at any time before a final status. « Lue » is set by opening, « envoyée »
    /// never again, « retirée » is the candidate's.
    pub fn organisation_may_move_to(self, to: Self) -> bool {
        if self.is_final() {
            return false;
        }
        match to {
            Self::EnDiscussion | Self::Entretien | Self::Acceptee => to.rank() > self.rank(),
            Self::Refusee => true,
            Self::Envoyee | Self::Lue | Self::Retiree => false,
        }
    }

    /// The statuses the members may choose from `self`, in the pipeline's order.
    pub fn organisation_moves(self) -> Vec<Self> {
        Self::ALL.iter().copied().filter(|to| self.organisation_may_move_to(*to)).collect()
    }

    /// Whether the candidate may withdraw: before a final status.
    pub fn candidate_may_withdraw(self) -> bool {
        !self.is_final()
    }
}

/// An application's line in the candidate's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationCard {
    pub id: i64,
    pub offer_title: String,
    /// The offer's page.
    pub offer_path: String,
    pub organisation_name: String,
    /// For the organisation's list: who applied.
    pub candidate_name: String,
    pub status: ApplicationStatus,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
    pub has_cv: bool,
}

/// A message of the thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadMessage {
    /// "Compte supprimé" when the author's account is gone.
    pub author: String,
    pub from_organisation: bool,
    pub body: String,
    pub created_at: i64,
}

/// A change of status, for the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusEvent {
    pub actor: String,
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    pub created_at: i64,
}

/// One application as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub card: ApplicationCard,
    /// The candidate's profile as they declared it (status, specialty, year, RPPS), if they
    /// filled it in: the recruiter sees it, and the candidate sees what the recruiter sees.
    pub profile: Option<crate::domain::profiles::Profile>,
    pub organisation_id: i64,
    /// The candidate's first message.
    pub message: String,
    /// The CV's file name and size in bytes.
    pub cv: Option<(String, i64)>,
    pub thread: Vec<ThreadMessage>,
    pub history: Vec<StatusEvent>,
    /// The visitor is a member of the organisation (else the candidate).
    pub as_organisation: bool,
}

/// The applications an organisation received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceivedApplications {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub applications: Vec<ApplicationCard>,
}

/// What the visitor of an open offer can do about applying.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ApplyState {
    /// The offer is not open (draft, expired, filled, withdrawn): no section.
    Closed,
    SignInRequired,
    /// Signed in, but the address is not confirmed yet.
    EmailUnverified,
    /// A member of the publishing organisation.
    OwnOffer,
    /// Already applied: the id of the application.
    Applied(i64),
    /// Applied, then withdrew: the id of that application; the form sends it again.
    Withdrawn(i64),
    /// The form.
    Open,
}

/// What decides the « Postuler » section for a signed-in visitor of an open offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplyScope {
    pub verified: bool,
    pub member: bool,
    pub applied: Option<i64>,
    /// The application of `applied` was withdrawn.
    pub withdrawn: bool,
}

impl From<ApplyScope> for ApplyState {
    fn from(scope: ApplyScope) -> Self {
        match scope {
            ApplyScope { member: true, .. } => Self::OwnOffer,
            ApplyScope { applied: Some(id), withdrawn: false, .. } => Self::Applied(id),
            ApplyScope { verified: false, .. } => Self::EmailUnverified,
            ApplyScope { applied: Some(id), withdrawn: true, .. } => Self::Withdrawn(id),
            ApplyScope { .. } => Self::Open,
        }
    }
}

/// The « Postuler » section of an offer's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplySection {
    pub offer_id: i64,
    pub state: ApplyState,
    /// The organisation's median time to a first response, in seconds, once at least one
    /// application got one.
    pub median_response_secs: Option<i64>,
}

/// « 2 jours », « 5 heures », « moins d'une heure ».
pub fn delay_text(secs: i64) -> String {
    const HOUR: i64 = 3_600;
    const DAY: i64 = 24 * HOUR;
    if secs < HOUR {
        "moins d'une heure".to_owned()
    } else if secs < DAY {
        let hours = (secs + HOUR / 2) / HOUR;
        if hours >= 24 {
            "1 jour".to_owned()
        } else if hours == 1 {
            "1 heure".to_owned()
        } else {
            format!("{hours} heures")
        }
    } else {
        let days = (secs + DAY / 2) / DAY;
        if days == 1 { "1 jour".to_owned() } else { format!("{days} jours") }
    }
}

/// The median of `values` (the mean of the two middle ones for an even count); None when empty.
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2 })
}

#[cfg(test)]
mod tests {
    use super::ApplicationStatus as S;
    use super::*;

    #[test]
    fn codes_read_back() {
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(*s));
        }
        assert_eq!(S::from_code("autre"), None);
    }

    #[test]
    fn the_pipeline_moves_forward_and_stops_at_a_final_status() {
        assert_eq!(S::Lue.organisation_moves(), [S::EnDiscussion, S::Entretien, S::Acceptee, S::Refusee]);
        assert_eq!(S::Entretien.organisation_moves(), [S::Acceptee, S::Refusee]);
        assert!(S::Envoyee.organisation_may_move_to(S::EnDiscussion));
        assert!(!S::Entretien.organisation_may_move_to(S::EnDiscussion), "no way back");
        assert!(!S::Envoyee.organisation_may_move_to(S::Lue), "read is set by opening");
        assert!(!S::Lue.organisation_may_move_to(S::Retiree), "the candidate's");
        for final_status in [S::Acceptee, S::Refusee, S::Retiree] {
            assert!(final_status.organisation_moves().is_empty());
            assert!(!final_status.candidate_may_withdraw());
        }
        assert!(S::Entretien.candidate_may_withdraw());
    }

    #[test]
    fn delays_read_in_french() {
        assert_eq!(delay_text(120), "moins d'une heure");
        assert_eq!(delay_text(3_600), "1 heure");
        assert_eq!(delay_text(5 * 3_600), "5 heures");
        assert_eq!(delay_text(86_400), "1 jour");
        assert_eq!(delay_text(2 * 86_400 + 3_600), "2 jours");
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
    }
}
