//! Who is visiting, and what the account forms may have to say about their last submission.
//!
//! The forms themselves post to plain HTTP handlers of the server (they set cookies and answer
//! with a redirect, which works the same with and without JavaScript); on an error the
//! redirect carries a problem code (`?erreur=…`) that the page turns into a sentence.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The person looking at the page, and the anti-CSRF token their forms must carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user: Option<ViewerUser>,
    pub csrf: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerUser {
    pub display_name: String,
    pub email: String,
    pub verified: bool,
    /// Appointed moderator (ARS, URPS, ordre staff): sees the moderation pages.
    pub moderator: bool,
}

/// The id of the signed-in person, put in the request's extensions by the server's session
/// layer next to the `Viewer`; never sent to the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedIn(pub i64);

/// The visitor of this request, as the server's session layer found them.
#[server(prefix = "/_srv", endpoint = "visiteur")]
pub async fn get_viewer() -> Result<Viewer, ServerFnError> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
        .ok_or_else(|| ServerFnError::new("session indisponible"))
}

/// Form field names, shared by the pages that render the forms and the handlers that read them.
pub mod fields {
    pub const CSRF: &str = "csrf";
    pub const NAME: &str = "nom";
    pub const EMAIL: &str = "email";
    pub const PASSWORD: &str = "mot_de_passe";
    /// The current password, asked again before changing the password or the address.
    pub const CURRENT_PASSWORD: &str = "mot_de_passe_actuel";
    pub const TOKEN: &str = "jeton";
    /// Where to go after signing in (a path of this site).
    pub const NEXT: &str = "suite";
    /// Which of the account page's forms was refused (one of `AccountForm`'s codes), kept with
    /// what was typed: three of them ask for the current password.
    pub const FORM: &str = "formulaire";
    /// The box « je confirme » of a destructive action.
    pub const CONFIRMATION: &str = "confirmation";
    /// Which of the page's confirmed actions was posted: the id of its box, which a refusal
    /// names back so that the page marks that box (a page may hold several).
    pub const CONFIRMED_BOX: &str = "case";
}

/// The forms of the account page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountForm {
    Rename,
    Password,
    Email,
    Delete,
}

impl AccountForm {
    pub const ALL: [AccountForm; 4] = [Self::Rename, Self::Password, Self::Email, Self::Delete];

    pub fn code(self) -> &'static str {
        match self {
            Self::Rename => "nom",
            Self::Password => "mot-de-passe",
            Self::Email => "email",
            Self::Delete => "suppression",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|form| form.code() == code)
    }

    /// The id of this form's field that `problem` concerns on the account page; None when it
    /// concerns the whole form (a sole owner's deletion, a service unavailable).
    pub fn field(self, problem: Problem) -> Option<&'static str> {
        use Problem as P;
        Some(match (self, problem) {
            (Self::Rename, P::NameInvalid) => "nom-nouveau",
            (Self::Password, P::WrongPassword) => "mdp-actuel",
            (Self::Password, P::PasswordTooShort | P::PasswordTooLong | P::PasswordIsEmail) => "mdp-nouveau",
            (Self::Email, P::EmailMissing | P::EmailInvalid | P::EmailTaken | P::SameEmail) => "email-nouveau",
            (Self::Email, P::WrongPassword) => "email-mdp",
            (Self::Delete, P::WrongPassword) => "suppression-mdp",
            _ => return None,
        })
    }
}

/// Addresses of the account pages and of the handlers their forms post to.
pub mod paths {
    pub const SIGN_UP: &str = "/inscription";
    pub const SIGN_IN: &str = "/connexion";
    pub const SIGN_OUT: &str = "/deconnexion";
    pub const ACCOUNT: &str = "/compte";
    pub const VERIFY: &str = "/compte/verification";
    /// POST: mails a new verification link.
    pub const RESEND_VERIFICATION: &str = "/compte/verification/renvoi";
    pub const FORGOT_PASSWORD: &str = "/compte/mot-de-passe-oublie";
    pub const NEW_PASSWORD: &str = "/compte/nouveau-mot-de-passe";
    pub const PROFILE: &str = "/compte/profil";
    pub const WISHES: &str = "/compte/recherche";
    pub const CHANGE_PASSWORD: &str = "/compte/mot-de-passe";
    pub const CHANGE_EMAIL: &str = "/compte/email";
    pub const CONFIRM_EMAIL: &str = "/compte/changement-email";
    pub const RENAME: &str = "/compte/nom";
    pub const MY_DATA: &str = "/compte/mes-donnees";
    pub const DELETE_ACCOUNT: &str = "/compte/suppression";
    pub const PRIVACY: &str = "/confidentialite";
}

codes! {
    /// What went wrong with an account form, as a stable code in the address and a French
    /// sentence on the page. Codes rather than sentences in the address, so that nobody can
    /// craft a link that makes the site say something else.
    Problem {
        EmailMissing = "email-vide" => "Saisissez votre adresse e-mail.",
        EmailInvalid = "email-invalide" => "Cette adresse e-mail n'est pas valide (par exemple prenom.nom@exemple.fr).",
        NameInvalid = "nom" => "Le nom affiché doit compter entre 2 et 80 caractères.",
        PasswordTooShort = "mot-de-passe-court" => "Le mot de passe doit compter au moins 10 caractères.",
        PasswordTooLong = "mot-de-passe-long" => "Le mot de passe doit compter au plus 128 caractères.",
        PasswordIsEmail = "mot-de-passe-email" => "Le mot de passe ne peut pas être votre adresse e-mail.",
        EmailTaken = "email-pris" => "Un compte existe déjà avec cette adresse e-mail : connectez-vous, ou demandez un nouveau mot de passe.",
        BadCredentials = "identifiants" => "Adresse e-mail ou mot de passe incorrect.",
        RateLimited = "trop-de-tentatives" => "Trop de tentatives de connexion pour cette adresse : réessayez dans 15 minutes.",
        BadLink = "lien" => "Ce lien n'est plus valable (il a expiré ou a déjà servi) : demandez-en un nouveau.",
        FormExpired = "formulaire-expire" => "Ce formulaire a expiré : vérifiez les champs et envoyez-le à nouveau.",
        Unconfirmed = "confirmation-manquante" => "Cochez la case de confirmation : cette action ne se défait pas. Rien n'a été changé.",
        SignInRequired = "connexion-requise" => "Connectez-vous pour accéder à cette page.",
        Unavailable = "indisponible" => "Le service est momentanément indisponible : réessayez dans un instant.",
        WrongPassword = "mot-de-passe-actuel" => "Le mot de passe actuel saisi n'est pas le bon.",
        SameEmail = "meme-email" => "C'est déjà l'adresse de votre compte.",
        AlreadyVerified = "deja-confirmee" => "Votre adresse e-mail est déjà confirmée.",
        LinkJustSent = "lien-recent" => "Un lien de confirmation vous a été envoyé il y a moins de 10 minutes : regardez dans vos courriels (et les indésirables) avant d'en demander un autre.",
        SoleOwner = "seul-proprietaire" => "Vous êtes le seul propriétaire d'une organisation qui compte d'autres membres, ou qui a encore des offres, des événements, des aides, une page de territoire, des terrains de stage, des logements ou des demandes au guichet en cours : nommez un autre propriétaire, ou fermez l'organisation (depuis sa page, dans « Mes organisations »), avant de supprimer votre compte. Rien n'a été supprimé.",
    }
}

field_problem!(Problem);

impl Problem {
    /// The sign-up, sign-in and password forms' field it concerns (not which of the address
    /// and the password is wrong at sign-in: that would tell who has an account).
    pub fn field(self) -> Option<&'static str> {
        use Problem as P;
        Some(match self {
            P::EmailMissing | P::EmailInvalid | P::EmailTaken => "email",
            P::NameInvalid => "nom",
            P::PasswordTooShort | P::PasswordTooLong | P::PasswordIsEmail => "mot_de_passe",
            _ => return None,
        })
    }
}

codes! {
    /// Good news after a form, as a code in the address (`?info=…`).
    Notice {
        Welcome = "bienvenue" => "Votre compte est créé. Un e-mail vous a été envoyé : cliquez sur son lien pour confirmer votre adresse.",
        Verified = "adresse-confirmee" => "Votre adresse e-mail est confirmée. Merci !",
        VerificationSent = "confirmation-renvoyee" => "Un nouveau lien de confirmation vient de vous être envoyé ; il est valable 48 heures.",
        ResetSent = "lien-envoye" => "Si un compte existe pour cette adresse, un e-mail avec un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Le lien est valable une heure.",
        PasswordChanged = "mot-de-passe-change" => "Votre mot de passe est changé. Connectez-vous avec le nouveau.",
        SignedOut = "deconnecte" => "Vous êtes déconnecté(e).",
        ProfileSaved = "profil-enregistre" => "Votre profil est enregistré.",
        Renamed = "nom-modifie" => "Votre nom affiché est changé.",
        PasswordUpdated = "mot-de-passe-modifie" => "Votre mot de passe est changé. Vos autres sessions sont fermées.",
        EmailChangeSent = "confirmation-envoyee" => "Un e-mail vient d'être envoyé à la nouvelle adresse : ouvrez son lien pour confirmer le changement. D'ici là, votre compte garde son adresse actuelle.",
        AccountDeleted = "compte-supprime" => "Votre compte et les données qui s'y rattachent sont supprimés. Merci d'être passé(e) par Médecins & Territoires.",
        EmailChanged = "email-modifie" => "Votre nouvelle adresse e-mail est confirmée : c'est désormais celle de votre compte.",
        WishesSaved = "recherche-enregistree" => "Votre recherche est enregistrée : les offres vous sont proposées avec les raisons pour lesquelles elles vous correspondent.",
    }
}
