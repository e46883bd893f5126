//! The closed lists an aid is described with.

use crate::domain::profiles::Status;
use serde::{Deserialize, Serialize};

choices! {
    /// Who pays or grants the aid.
    Funder {
        AssuranceMaladie = "assurance_maladie" => "Assurance Maladie",
        Etat = "etat" => "État",
        Ars = "ars" => "ARS",
        Region = "region" => "Région",
        Departement = "departement" => "Département",
        Epci = "epci" => "Intercommunalité",
        Commune = "commune" => "Commune",
    }
}

choices! {
    /// What kind of help it is.
    AidCategory {
        Financiere = "financiere" => "Aide financière",
        Fiscale = "fiscale" => "Avantage fiscal",
        Logement = "logement" => "Logement",
        Locaux = "locaux" => "Locaux professionnels",
        Formation = "formation" => "Formation",
        Accompagnement = "accompagnement" => "Accompagnement",
    }
}

choices! {
    /// A zone an aid is restricted to. ZIP, ZAC and ZAR are the ARS zoning of the commune;
    /// QPV and montagne are finer than a commune (a district, a mountain massif).
    AidZone {
        Zip = "ZIP" => "zone d'intervention prioritaire (ZIP)",
        Zac = "ZAC" => "zone d'action complémentaire (ZAC)",
        Zar = "ZAR" => "zone d'accompagnement régional (ZAR)",
        Qpv = "QPV" => "quartier prioritaire de la politique de la ville (QPV)",
        Montagne = "montagne" => "zone de montagne",
    }
}

choices! {
    /// Where a doctor stands, as the aids' conditions distinguish it.
    AidProfile {
        Interne = "interne" => "Interne",
        DocteurJunior = "docteur_junior" => "Docteur junior",
        Remplacant = "remplacant" => "Médecin remplaçant",
        InstalleRecent = "installe_recent" => "Installé depuis moins d'un an, ou en projet d'installation",
        Installe = "installe" => "Médecin installé",
        Msu = "msu" => "Maître de stage universitaire (MSU)",
    }
}

choices! {
    /// What an aid is for. Amounts are only ever added up within one purpose: a first
    /// installation and a secondary practice are two projects, a placement allowance and a
    /// commitment contract two different things.
    AidPurpose {
        Installation = "installation" => "s'installer",
        CabinetSecondaire = "cabinet_secondaire" => "ouvrir un cabinet secondaire",
        Exercice = "exercice" => "exercer dans la zone",
        Remplacement = "remplacement" => "remplacer",
        Stage = "stage" => "faire son stage",
        Etudes = "etudes" => "s'engager pendant ses études à exercer en zone sous-dense",
        AccueilInterne = "accueil_interne" => "accueillir un interne en stage",
        AccueilDocteurJunior = "accueil_docteur_junior" => "accueillir un docteur junior en stage",
        MaisonSante = "maison_sante" => "créer une maison ou un centre de santé",
    }
}

choices! {
    /// How the doctor practises.
    Exercise {
        Liberal = "liberal" => "exercice libéral",
        Salarie = "salarie" => "exercice salarié",
        Coordonne = "coordonne" => "exercice coordonné (MSP, centre de santé, équipe)",
    }
}

choices! {
    /// What the amount is counted in.
    AmountUnit {
        Once = "once" => "versé en une fois",
        Month = "month" => "par mois",
        Year = "year" => "par an",
        None = "none" => "sans montant fixe",
    }
}

choices! {
    /// The territory an aid covers.
    ScopeKind {
        National = "national" => "France entière",
        Region = "region" => "Région",
        Departement = "departement" => "Département",
        Epci = "epci" => "Intercommunalité",
        Commune = "commune" => "Commune",
    }
}

impl AidProfile {
    /// The profile a candidate's status stands for in the aids' conditions.
    pub fn of_status(status: Status) -> Self {
        match status {
            Status::Interne => AidProfile::Interne,
            Status::DocteurJunior => AidProfile::DocteurJunior,
            Status::Remplacant => AidProfile::Remplacant,
            Status::Installe | Status::RetraiteActif => AidProfile::Installe,
        }
    }
}

/// Codes joined by commas, as stored.
pub fn join_codes<T: Copy>(values: &[T], code: impl Fn(T) -> &'static str) -> String {
    values.iter().map(|v| code(*v)).collect::<Vec<_>>().join(",")
}

/// The values of a comma-separated list of codes; None when one is unknown.
pub fn split_codes<T>(raw: &str, from_code: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
    raw.split(',').map(str::trim).filter(|c| !c.is_empty()).map(from_code).collect()
}
