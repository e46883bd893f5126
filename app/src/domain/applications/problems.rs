//! What can go wrong with an application form (`?erreur=…`) and the good news after one
//! (`?info=…`), each as a code in the address and the French sentence the page shows. The
//! codes common to every form are those of `account::Problem`.

use serde::{Deserialize, Serialize};

codes! {
    ApplicationProblem {
        MessageMissing = "candidature-message" => "Écrivez un message : présentez-vous et dites ce qui vous intéresse dans l'offre.",
        MessageTooLong = "candidature-message-long" => "Le message doit compter au plus 5 000 caractères.",
        CvNotPdf = "candidature-cv-pdf" => "Le CV doit être un fichier PDF (les documents Word ou les images ne sont pas acceptés) : enregistrez-le en PDF et recommencez.",
        CvTooLarge = "candidature-cv-taille" => "Le CV dépasse 5 Mo : allégez-le (images compressées, moins de pages) et recommencez.",
        AlreadyApplied = "candidature-deja-envoyee" => "Vous avez déjà postulé à cette offre : poursuivez l'échange depuis votre candidature.",
        OfferClosed = "candidature-offre-fermee" => "Cette offre ne reçoit plus de candidatures : elle n'est plus publiée.",
        OwnOrganisation = "candidature-propre-organisation" => "Vous êtes membre de l'organisation qui publie cette offre : vous ne pouvez pas y postuler.",
        EmailUnverified = "candidature-adresse-non-confirmee" => "Confirmez d'abord votre adresse e-mail (lien reçu à l'inscription) : l'organisation doit pouvoir vous répondre.",
        NotFound = "candidature-introuvable" => "Cette candidature n'existe pas, ou elle ne vous concerne pas.",
        WrongStatus = "candidature-etat" => "Ce changement n'est pas possible dans l'état actuel de la candidature.",
        ThreadClosed = "candidature-close" => "Cette candidature est close (acceptée, refusée ou retirée) : elle ne reçoit plus de messages.",
        TooManyMessages = "candidature-messages-trop" => "Vous avez envoyé 20 messages dans l'heure : attendez un peu avant d'en envoyer d'autres.",
        TooManyApplications = "candidatures-trop" => "Vous avez envoyé 15 candidatures ces dernières 24 heures : réessayez demain.",
        SentAgainToday = "candidature-renvoyee-aujourd-hui" => "Vous avez déjà renvoyé cette candidature ces dernières 24 heures : réessayez demain.",
    }
}

codes! {
    ApplicationNotice {
        Sent = "candidature-envoyee" => "Votre candidature est envoyée : l'organisation est prévenue par e-mail, et vous le serez à chaque réponse.",
        MessagePosted = "candidature-message-envoye" => "Votre message est envoyé.",
        StatusChanged = "candidature-statut-change" => "Le statut de la candidature est changé : la candidate ou le candidat est prévenu par e-mail.",
        Withdrawn = "candidature-retiree" => "Votre candidature est retirée. Tant que l'offre est ouverte, vous pouvez postuler à nouveau depuis sa page.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::applications::{APPLICATIONS_PER_DAY, MESSAGES_PER_HOUR};

    #[test]
    fn the_limits_say_their_numbers() {
        assert!(ApplicationProblem::TooManyMessages.message().contains(&format!("{MESSAGES_PER_HOUR} messages")));
        assert!(
            ApplicationProblem::TooManyApplications.message().contains(&format!("{APPLICATIONS_PER_DAY} candidatures"))
        );
    }
}
