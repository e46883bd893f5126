//! What can go wrong with the event forms, and the news after one.

use serde::{Deserialize, Serialize};

codes! {
    EventProblem {
        Kind = "evenement-type" => "Choisissez le type d'événement : journée d'accueil, speed-dating ou forum.",
        Title = "evenement-titre" => "Le titre doit compter entre 5 et 120 caractères.",
        Description = "evenement-description" => "La description doit compter entre 20 et 5 000 caractères.",
        Commune = "evenement-commune" => "Indiquez la commune où a lieu l'événement : son nom (par exemple Rodez) ou son code postal ; si plusieurs communes portent ce nom, ajoutez le département, par exemple « Aigues-Vives (30) ».",
        Place = "evenement-lieu" => "Indiquez le lieu (adresse ou salle, 3 à 200 caractères).",
        Start = "evenement-debut" => "Indiquez le début de l'événement (date et heure), dans l'avenir et à moins de deux ans.",
        End = "evenement-fin" => "La fin doit être après le début, le même jour ou dans les trois jours.",
        Capacity = "evenement-places" => "Indiquez le nombre de places, de 1 à 2 000.",
        OrganisationClosed = "evenement-organisation-fermee" => "Cette organisation est fermée : elle ne publie plus d'événements.",
        NotAllowed = "evenement-organisation" => "Seule une organisation vérifiée (collectivité, structure de santé, institution) peut publier un événement.",
        NotFound = "evenement-introuvable" => "Cet événement n'existe pas, ou vous ne pouvez pas le modifier.",
        Over = "evenement-passe" => "Cet événement est passé ou annulé : les inscriptions sont closes.",
        NotRegistered = "evenement-non-inscrit" => "Vous n'êtes pas inscrit à cet événement.",
    }
}

field_problem!(EventProblem);

impl EventProblem {
    /// The event form's field it concerns.
    pub fn field(self) -> Option<&'static str> {
        use EventProblem as P;
        Some(match self {
            P::Kind => "type",
            P::Title => "titre",
            P::Description => "description",
            P::Commune => "commune",
            P::Place => "lieu",
            P::Start => "debut",
            P::End => "fin",
            P::Capacity => "places",
            _ => return None,
        })
    }
}

codes! {
    EventNotice {
        Published = "evenement-publie" => "L'événement est publié : il apparaît dans l'agenda et sur la page de sa commune.",
        Registered = "evenement-inscrit" => "Vous êtes inscrit : votre place est réservée.",
        Waiting = "evenement-attente" => "L'événement est complet : vous êtes sur la liste d'attente, et vous aurez la première place libérée.",
        Unregistered = "evenement-desinscrit" => "Votre inscription est annulée ; votre place va à la première personne en attente.",
        Cancelled = "evenement-annule" => "L'événement est annulé : il reste affiché comme tel.",
    }
}
