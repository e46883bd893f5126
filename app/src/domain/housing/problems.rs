//! What can go wrong with the housing forms, and the news after one.

use serde::{Deserialize, Serialize};

codes! {
    HousingProblem {
        Title = "logement-titre" => "Le titre doit compter entre 3 et 120 caractères, par exemple « Studio meublé pour interne ».",
        Commune = "logement-commune" => "Indiquez la commune du logement : son nom (par exemple Rodez) ou son code postal ; si plusieurs communes portent ce nom, ajoutez le département, par exemple « Aigues-Vives (30) ».",
        Area = "logement-secteur" => "Indiquez le secteur du logement (quartier, hameau, distance d'un repère), entre 3 et 120 caractères.",
        AreaIsAnAddress = "logement-adresse" => "Le secteur ne doit pas donner l'adresse exacte (numéro et rue) : le public ne la voit jamais. Indiquez le quartier ou le hameau ; l'adresse se donne au contact.",
        Kind = "logement-nature" => "Choisissez le type de logement : chambre, studio, appartement ou logement partagé.",
        Rent = "logement-loyer" => "Indiquez le loyer mensuel en euros, charges comprises, de 0 (gratuit) à 2 000.",
        Furnished = "logement-meuble" => "Indiquez si le logement est meublé.",
        From = "logement-du" => "Indiquez la date à partir de laquelle le logement est disponible (AAAA-MM-JJ, par exemple 2027-05-01).",
        Until = "logement-au" => "La date de fin, si vous en donnez une, doit suivre la date de début et ne pas être passée (AAAA-MM-JJ).",
        Places = "logement-places" => "Indiquez le nombre d'internes que le logement accueille, de 1 à 20.",
        Contact = "logement-contact" => "Indiquez qui contacter (nom, téléphone ou e-mail), entre 5 et 300 caractères.",
        Details = "logement-details" => "Les précisions ne doivent pas dépasser 2 000 caractères.",
        NotAllowed = "logement-organisation" => "Seule une collectivité, une structure de santé ou un cabinet vérifiés peuvent publier un logement pour internes.",
        NotFound = "logement-introuvable" => "Ce logement n'existe pas, ou vous ne pouvez pas le modifier.",
    }
}

field_problem!(HousingProblem);

impl HousingProblem {
    /// The housing form's field it concerns.
    pub fn field(self) -> Option<&'static str> {
        use HousingProblem as P;
        Some(match self {
            P::Title => "titre",
            P::Commune => "commune",
            P::Area | P::AreaIsAnAddress => "secteur",
            P::Kind => "nature",
            P::Rent => "loyer",
            P::Furnished => "meuble",
            P::From => "du",
            P::Until => "au",
            P::Places => "places",
            P::Contact => "contact",
            P::Details => "details",
            _ => return None,
        })
    }
}

codes! {
    HousingNotice {
        Published = "logement-publie" => "Le logement est publié : il apparaît sur sa page, sur la page des internes et près des terrains et offres de stage.",
        Withdrawn = "logement-retire" => "Le logement est retiré : il n'apparaît plus sur le portail.",
    }
}
