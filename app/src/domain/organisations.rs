//! Organisations (collectivités, health structures, cabinets, institutions), their members and
//! invitations, and the moderation that verifies them.
//!
//! Pages read through the server functions below; forms post to plain handlers of the server
//! (like the account forms), which answer with a redirect carrying a code (`?erreur=…` or
//! `?info=…`) that the page turns into a French sentence.

mod dto;
mod evidence;
#[cfg(feature = "ssr")]
mod service;

pub use dto::*;
pub use evidence::{DomainEvidence, DomainKind, mail_domain};
#[cfg(feature = "ssr")]
pub use service::{OrganisationService, provide_organisation_service};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The organisations of the signed-in person.
#[server(prefix = "/_srv", endpoint = "mes-organisations")]
pub async fn get_my_organisations() -> Result<Access<Vec<OrganisationSummary>>, ServerFnError> {
    let Some(user) = service::signed_in() else {
        return Ok(Access::SignInRequired);
    };
    let list = service::organisations()?.mine(user).await.map_err(service::unavailable)?;
    Ok(Access::Granted(list))
}

/// One organisation, for its members and for moderators.
#[server(prefix = "/_srv", endpoint = "organisation")]
pub async fn get_organisation(id: String) -> Result<Access<OrganisationDetail>, ServerFnError> {
    let organisations = service::organisations()?;
    service::private_read(&id, |user, id| organisations.organisation(user, id)).await
}

/// The invitation behind a mailed link; None when the link is not one of ours.
#[server(prefix = "/_srv", endpoint = "invitation")]
pub async fn get_invitation(token: String) -> Result<Option<InvitationView>, ServerFnError> {
    service::organisations()?.invitation(token.trim()).await.map_err(service::unavailable)
}

/// The moderation queue, the audit log and the failed mails, for moderators only.
#[server(prefix = "/_srv", endpoint = "moderation")]
pub async fn get_moderation() -> Result<Access<ModerationPage>, ServerFnError> {
    let Some(user) = service::signed_in() else {
        return Ok(Access::SignInRequired);
    };
    let page = service::organisations()?.moderation(user).await.map_err(service::unavailable)?;
    Ok(page.map_or(Access::ModeratorsOnly, Access::Granted))
}

/// Form field names, shared by the pages and the handlers.
pub mod fields {
    pub const KIND: &str = "type";
    pub const NAME: &str = "nom";
    pub const CODE: &str = "code";
    pub const EMAIL: &str = "email";
    pub const ROLE: &str = "role";
    pub const MEMBER: &str = "membre";
    pub const INVITATION: &str = "invitation";
    pub const TOKEN: &str = "jeton";
    pub const REASON: &str = "motif";
    /// The message of a closure, sent to candidates, registrants and guichet requesters.
    pub const MESSAGE: &str = "message";
    /// The box ticked to confirm a closure.
    pub const CONFIRM: &str = "confirmation";
    /// A commune chosen among those of a postal code typed as the code (its INSEE code).
    pub const CHOSEN_COMMUNE: &str = "commune_choisie";
    /// Kept with a refusal: the communes of the postal code typed, "code:label;code:label".
    pub const POSTAL_CODE_COMMUNES: &str = "communes-du-code-postal";
    /// A moderator's question to the owners of an organisation waiting for verification.
    pub const QUESTION: &str = "question";
    /// An owner's answer to it.
    pub const ANSWER: &str = "reponse";
    /// The query parameter naming the organisation a refused reason or question was about:
    /// what was typed comes back into that organisation's form only.
    pub const ORGANISATION: &str = "organisation";
}

/// Addresses of the pages and of the handlers their forms post to.
pub mod paths {
    use crate::domain::Address;

    pub const LIST: &str = "/organisations";
    pub const NEW: &str = "/organisations/nouvelle";
    pub const INVITATION: &str = "/organisations/invitation";
    pub const MODERATION: &str = "/moderation";

    pub const ORGANISATION: Address = Address("/organisations/{id}");
    /// POST: invite someone by e-mail (owners).
    pub const INVITE: Address = Address("/organisations/{id}/invitations");
    /// POST: withdraw an invitation not yet accepted (owners).
    pub const CANCEL_INVITATION: Address = Address("/organisations/{id}/invitations/annulation");
    /// POST: remove a member (owners), or leave (anyone for themself).
    pub const REMOVE_MEMBER: Address = Address("/organisations/{id}/membres/retrait");
    /// POST: make a member owner, or an owner member (owners).
    pub const CHANGE_ROLE: Address = Address("/organisations/{id}/membres/role");
    /// POST: correct an organisation not yet verified, and submit it again (owners).
    pub const EDIT: Address = Address("/organisations/{id}/modification");
    /// POST: close the organisation (owners), with a message and a confirmation.
    pub const CLOSE: Address = Address("/organisations/{id}/fermeture");
    /// POST: verify an organisation (moderators).
    pub const APPROVE: Address = Address("/moderation/{id}/approbation");
    /// POST: refuse an organisation with a reason (moderators).
    pub const REJECT: Address = Address("/moderation/{id}/refus");
    /// POST: close an organisation that has no owner (moderators).
    pub const MODERATOR_CLOSE: Address = Address("/moderation/{id}/fermeture");
    /// POST: become owner of an organisation that has no owner (moderators).
    pub const TAKE_OVER: Address = Address("/moderation/{id}/reprise");
    /// POST: put a failed mail back in the outbox, for sending at once (moderators).
    pub const REQUEUE_MAIL: Address = Address("/moderation/courriels/{id}/renvoi");
    /// POST: ask the owners of an organisation waiting for verification a question
    /// (moderators).
    pub const ASK: Address = Address("/moderation/{id}/question");
    /// POST: answer the moderation's question (owners of the organisation waiting).
    pub const ANSWER: Address = Address("/organisations/{id}/reponse");
}

/// Longest reason for a refusal, in characters.
pub const REASON_MAX_CHARS: usize = 1000;
/// Longest organisation name, in characters.
pub const NAME_MAX_CHARS: usize = 120;
/// Longest closing message, in characters.
pub const CLOSING_MESSAGE_MAX_CHARS: usize = 2000;
/// Longest question of the moderation, in characters.
pub const QUESTION_MAX_CHARS: usize = 1000;
/// Longest answer to it, in characters.
pub const ANSWER_MAX_CHARS: usize = 2000;

codes! {
    /// What went wrong with an organisation form, as a code in the address (`?erreur=…`).
    /// The codes common to every form (expired form, sign-in required, service unavailable)
    /// are those of `account::Problem`.
    OrganisationProblem {
        KindMissing = "type" => "Choisissez le type d'organisation.",
        NameInvalid = "nom-organisation" => "Le nom de l'organisation doit compter entre 2 et 120 caractères.",
        CommuneCodeMissing = "commune-manquante" => "Indiquez le code INSEE de la commune (5 caractères, par exemple 12202 pour Rodez).",
        CommuneCodeInvalid = "commune-invalide" => "Ce code commune n'est pas valide : le code INSEE compte 5 caractères (par exemple 12202 pour Rodez, 2A004 pour Ajaccio).",
        CommuneUnknown = "commune-inconnue" => "Aucune commune du portail n'a ce code INSEE. Le portail couvre pour l'instant l'Occitanie ; cherchez la commune avec « Rechercher une commune » : son code figure dans l'adresse de sa page.",
        PostalCode = "code-postal" => "Ce code est un code postal. Le portail attend le code INSEE de la commune, qui est différent (Rodez : code postal 12000, code INSEE 12202). Cherchez la commune avec « Rechercher une commune » : son code INSEE figure dans l'adresse de sa page.",
        SirenMissing = "siren-manquant" => "Indiquez le numéro SIREN de l'intercommunalité (9 chiffres).",
        SirenInvalid = "siren-invalide" => "Le numéro SIREN d'une intercommunalité compte 9 chiffres.",
        EpciUnknown = "epci-inconnu" => "Aucune intercommunalité du portail n'a ce numéro SIREN. Le SIREN figure dans l'adresse de la page de l'intercommunalité (par exemple /epci/241200567-… pour la CC de Millau Grands Causses).",
        DepartementMissing = "departement-manquant" => "Indiquez le numéro du département (par exemple 12 pour l'Aveyron).",
        DepartementInvalid = "departement-invalide" => "Ce numéro de département n'est pas valide (par exemple 09, 12 ou 2A).",
        DepartementUnknown = "departement-inconnu" => "Le portail ne couvre pas (encore) ce département : il couvre pour l'instant l'Occitanie (09, 11, 12, 30, 31, 32, 34, 46, 48, 65, 66, 81, 82).",
        FinessInvalid = "finess-invalide" => "Ce numéro FINESS n'est pas valide : il compte 9 caractères dont une clé de contrôle. Vérifiez-le, ou laissez le champ vide si la structure n'en a pas.",
        FinessOtherKind = "finess-autre-type" => "Ce numéro FINESS est celui d'une structure d'un autre type dans le répertoire FINESS : choisissez le type qui lui correspond, ou vérifiez le numéro.",
        CodeNotExpected = "code-inattendu" => "Ce type d'organisation n'a pas de code à indiquer : laissez le champ « code » vide.",
        NotFound = "organisation-introuvable" => "Cette organisation n'existe pas, ou vous n'en êtes pas membre.",
        OwnersOnly = "reserve-proprietaires" => "Seuls les propriétaires de l'organisation peuvent faire cela.",
        ModeratorsOnly = "reserve-moderateurs" => "Cette action est réservée aux modérateurs.",
        EmailMissing = "email-invite-vide" => "Saisissez l'adresse e-mail de la personne à inviter.",
        EmailInvalid = "email-invite-invalide" => "Cette adresse e-mail n'est pas valide (par exemple prenom.nom@exemple.fr).",
        RoleInvalid = "role" => "Choisissez le rôle : membre ou propriétaire.",
        AlreadyMember = "deja-membre" => "Cette personne est déjà membre de l'organisation.",
        UnverifiedInviter = "adresse-a-confirmer" => "Confirmez d'abord votre adresse e-mail (cliquez sur le lien reçu à l'inscription) : elle est nécessaire pour envoyer des invitations.",
        TooManyInvitations = "trop-d-invitations" => "Trop d'invitations envoyées pour cette organisation ces dernières 24 heures : réessayez demain.",
        BadInvitation = "invitation" => "Cette invitation n'est plus valable (elle a expiré, a déjà servi, a été remplacée par une plus récente, ou la personne qui l'a envoyée n'est plus responsable de l'organisation) : demandez-en une nouvelle.",
        WrongInvitee = "autre-compte" => "Cette invitation est adressée à une autre adresse e-mail que celle de votre compte : connectez-vous avec le compte de l'adresse invitée.",
        NotAMember = "pas-membre" => "Cette personne n'est pas (ou plus) membre de l'organisation.",
        LastOwner = "dernier-proprietaire" => "Une organisation garde toujours au moins un propriétaire : nommez d'abord quelqu'un d'autre propriétaire, ou fermez l'organisation (en bas de sa page).",
        Closed = "organisation-fermee" => "Cette organisation est fermée : elle ne publie plus, n'invite plus et ne se modifie plus.",
        ClosureUnconfirmed = "fermeture-a-confirmer" => "Cochez la case qui confirme la fermeture : elle retire tout ce que l'organisation a publié et ne se défait pas.",
        ClosingMessageTooLong = "message-fermeture-long" => "Le message de fermeture doit compter au plus 2000 caractères.",
        HasOwner = "a-un-proprietaire" => "Cette organisation a un propriétaire : c'est à lui de la fermer ou de la confier à quelqu'un d'autre.",
        ReasonMissing = "motif" => "Indiquez le motif du refus : il est envoyé aux propriétaires de l'organisation.",
        ReasonTooLong = "motif-long" => "Le motif du refus doit compter au plus 1000 caractères.",
        AlreadyDecided = "deja-traitee" => "Cette organisation n'est plus en attente : elle a déjà été traitée.",
        NotEditable = "non-modifiable" => "Une organisation vérifiée ne se modifie plus ici : contactez la modération de votre région.",
        MailNotFailed = "courriel-pas-en-echec" => "Ce courriel n'est plus en échec : il a déjà été renvoyé, ou il n'existe pas.",
        QuestionMissing = "question-manquante" => "Écrivez la question : elle est envoyée par e-mail aux propriétaires de l'organisation.",
        QuestionTooLong = "question-longue" => "La question doit compter au plus 1000 caractères.",
        AnswerMissing = "reponse-manquante" => "Écrivez votre réponse à la question de la modération.",
        AnswerTooLong = "reponse-longue" => "La réponse doit compter au plus 2000 caractères.",
        NothingToAnswer = "aucune-question" => "La modération n'attend pas de réponse : aucune question n'est posée, ou vous avez déjà répondu à la dernière.",
    }
}

field_problem!(OrganisationProblem);

impl OrganisationProblem {
    /// The organisation forms' field it concerns (creation and corrections, invitation, answer
    /// to the moderation, closing message).
    pub fn field(self) -> Option<&'static str> {
        use OrganisationProblem as P;
        Some(match self {
            P::KindMissing => "type",
            P::NameInvalid => "nom",
            P::CommuneCodeMissing
            | P::CommuneCodeInvalid
            | P::CommuneUnknown
            | P::PostalCode
            | P::SirenMissing
            | P::SirenInvalid
            | P::EpciUnknown
            | P::DepartementMissing
            | P::DepartementInvalid
            | P::DepartementUnknown
            | P::FinessInvalid
            | P::FinessOtherKind
            | P::CodeNotExpected => "code",
            P::EmailMissing | P::EmailInvalid | P::AlreadyMember => "email-invite",
            P::RoleInvalid => "role-invite",
            P::ClosingMessageTooLong => "fermeture-message",
            P::ClosureUnconfirmed => "fermeture-confirmation",
            P::AnswerMissing | P::AnswerTooLong => "reponse",
            _ => return None,
        })
    }
}

codes! {
    /// Good news after an organisation form (`?info=…`).
    OrganisationNotice {
        Created = "organisation-creee" => "Votre organisation est créée. Elle est en attente de vérification par la modération ; vous recevrez un e-mail quand elle sera vérifiée.",
        Invited = "invitation-envoyee" => "L'invitation est envoyée par e-mail. Le lien est valable 7 jours.",
        InvitationCancelled = "invitation-annulee" => "L'invitation est annulée : son lien ne fonctionne plus.",
        Joined = "organisation-rejointe" => "Vous avez rejoint l'organisation.",
        MemberRemoved = "membre-retire" => "Le membre a été retiré de l'organisation.",
        Left = "organisation-quittee" => "Vous avez quitté l'organisation.",
        RoleChanged = "role-change" => "Le rôle du membre est changé.",
        Resubmitted = "organisation-modifiee" => "L'organisation est modifiée et de nouveau en attente de vérification.",
        Approved = "organisation-verifiee" => "L'organisation est vérifiée ; ses propriétaires sont prévenus par e-mail.",
        Rejected = "organisation-refusee" => "L'organisation est refusée ; ses propriétaires reçoivent le motif par e-mail.",
        MailRequeued = "courriel-renvoye" => "Le courriel a été remis dans la file d'envoi.",
        ClosedNow = "fermeture-effectuee" => "L'organisation est fermée : ses offres, aides, événements, terrains de stage, logements et sa page de territoire sont retirés, et chaque candidat, inscrit ou demandeur a reçu votre message.",
        TakenOver = "organisation-reprise" => "Vous êtes maintenant propriétaire de l'organisation : invitez un nouveau propriétaire ou fermez-la.",
        QuestionSent = "question-envoyee" => "La question est envoyée par e-mail aux propriétaires de l'organisation, qui reste en attente ; leur réponse s'affichera ici.",
        Answered = "reponse-envoyee" => "Votre réponse est transmise à la modération. L'organisation reste en attente de vérification.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_family_a_label_and_a_code_that_reads_back() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::from_code(kind.code()), Some(*kind));
            assert!(!kind.label().is_empty());
        }
        let counted: usize = OrganisationFamily::ALL.iter().map(|f| OrganisationKind::of(*f).count()).sum();
        assert_eq!(counted, OrganisationKind::ALL.len());
        assert_eq!(OrganisationKind::from_code("mairie"), None);
    }
}
