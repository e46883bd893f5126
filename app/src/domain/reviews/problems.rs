//! What can go wrong with the review forms, and the news after one.

use serde::{Deserialize, Serialize};

codes! {
    ReviewProblem {
        Semester = "avis-semestre" => "Seul un interne dont le terrain a confirmé le semestre peut donner son avis, une fois par semestre.",
        Score = "avis-note" => "Donnez une note de 1 à 5 pour chaque critère (le logement peut être « sans objet »).",
        Body = "avis-texte" => "Votre avis doit compter entre 30 et 3 000 caractères.",
        Answer = "avis-reponse" => "La réponse doit compter entre 10 et 2 000 caractères.",
        Answered = "avis-deja-repondu" => "Ce terrain a déjà répondu à cet avis : une réponse par avis.",
        Decision = "avis-decision" => "Choisissez de publier ou de refuser l'avis.",
        Reason = "avis-motif" => "Donnez le motif du refus, entre 5 et 300 caractères : l'interne le lira.",
        NotFound = "avis-introuvable" => "Cet avis n'existe pas, ou vous ne pouvez pas y répondre.",
        Application = "semestre-candidature" => "Seule une candidature acceptée à une offre de stage de ce terrain, pour un semestre donné, confirme un semestre.",
        Account = "semestre-compte" => "Aucun compte du portail n'a cette adresse e-mail : l'interne doit d'abord créer le sien.",
        SemesterDate = "semestre-date" => "Choisissez le semestre (novembre ou mai) et son année, des six dernières années à l'an prochain.",
        AlreadyConfirmed = "semestre-deja" => "Ce semestre est déjà confirmé pour cet interne.",
        Site = "semestre-terrain" => "Ce terrain de stage n'existe pas, ou vous ne pouvez pas confirmer ses semestres.",
    }
}

field_problem!(ReviewProblem);

impl ReviewProblem {
    /// The field of the review or semester form it concerns; None for a problem of the whole
    /// form, or of a field repeated in a list (an answer, a refusal's reason).
    pub fn field(self) -> Option<&'static str> {
        use ReviewProblem as P;
        Some(match self {
            P::Body => "avis-texte",
            P::Account => "semestre-email",
            P::SemesterDate => "semestre-annee",
            _ => return None,
        })
    }
}

codes! {
    ReviewNotice {
        Sent = "avis-envoye" => "Merci : votre avis est envoyé à la modération. Il paraîtra, sans votre nom, dès que le terrain aura trois avis publiés.",
        Published = "avis-publie" => "L'avis est publié.",
        Refused = "avis-refuse" => "L'avis est refusé ; l'interne lira le motif.",
        Answered = "avis-repondu" => "Votre réponse est publiée sous l'avis.",
        Confirmed = "semestre-confirme" => "Le semestre est confirmé : l'interne peut donner son avis sur le terrain.",
    }
}
