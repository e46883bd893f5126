//! What can go wrong with a local-aid form (`?erreur=…`) and the news after one (`?info=…`).

use serde::{Deserialize, Serialize};

codes! {
    AidProblem {
        Name = "aide-nom" => "Le nom de l'aide doit compter entre 5 et 120 caractères.",
        Category = "aide-categorie" => "Choisissez la catégorie de l'aide (financière, fiscale, logement, locaux, formation, accompagnement).",
        Amount = "aide-montant" => "Le montant est un nombre entier d'euros, de 1 à 1 000 000 ; laissez-le vide si l'aide n'a pas de montant fixe.",
        Unit = "aide-unite" => "Précisez si le montant est versé en une fois, par mois ou par an.",
        AmountText = "aide-montant-texte" => "Décrivez le montant en quelques mots (3 à 200 caractères), par exemple « 5 000 € versés à l'installation ».",
        Summary = "aide-resume" => "Le résumé doit compter entre 20 et 600 caractères : dites ce que l'aide apporte.",
        Conditions = "aide-conditions" => "Les conditions doivent compter entre 10 et 2 000 caractères.",
        Zone = "aide-zone" => "Une des zones cochées n'existe pas.",
        Profile = "aide-profil" => "Un des profils cochés n'existe pas.",
        Purpose = "aide-objet" => "Cochez ce que l'aide finance (s'installer, ouvrir un cabinet secondaire, faire son stage…) : le simulateur n'additionne que les aides d'un même projet.",
        Exclusion = "aide-exclusion" => "Une des aides cochées comme non cumulables n'existe pas ou plus : cochez-les à nouveau dans la liste.",
        Commitment = "aide-engagement" => "L'engagement doit compter au plus 300 caractères, et sa durée être un nombre d'années de 1 à 20.",
        Source = "aide-source" => "Indiquez l'adresse (https://…) de la délibération ou de la page officielle qui décrit l'aide.",
        Start = "aide-debut" => "La date de début n'est pas une date valide (format attendu : AAAA-MM-JJ).",
        End = "aide-fin" => "La date de fin n'est pas valide (AAAA-MM-JJ), ou elle est avant la date de début.",
        OrganisationClosed = "aide-organisation-fermee" => "Cette collectivité a fermé son espace sur le portail : elle ne publie plus d'aides.",
        NotCollectivite = "aide-collectivite" => "Seule une collectivité (commune, intercommunalité, département) vérifiée par la modération peut publier une aide locale.",
        NotFound = "aide-introuvable" => "Cette aide n'existe pas, ou vous ne pouvez pas la modifier.",
        ReasonMissing = "aide-motif" => "Indiquez le motif du retrait (5 à 500 caractères) : il est gardé avec l'aide.",
    }
}

field_problem!(AidProblem);

impl AidProblem {
    /// The local aid form's field it concerns (`zones`, `profils`, `objets`: groups of boxes).
    pub fn field(self) -> Option<&'static str> {
        use AidProblem as P;
        Some(match self {
            P::Name => "nom",
            P::Category => "categorie",
            P::Amount => "montant",
            P::Unit => "unite",
            P::AmountText => "montant_texte",
            P::Summary => "resume",
            P::Conditions => "conditions",
            P::Zone => "zones",
            P::Profile => "profils",
            P::Purpose => "objets",
            P::Commitment => "engagement",
            P::Source => "source",
            P::Start => "debut",
            P::End => "fin",
            _ => return None,
        })
    }
}

codes! {
    AidNotice {
        Published = "aide-publiee" => "L'aide est publiée : elle apparaît dans le catalogue, le simulateur et les pages de votre territoire.",
        Updated = "aide-modifiee" => "L'aide est modifiée.",
        Withdrawn = "aide-retiree" => "L'aide est retirée : elle n'est plus proposée, elle reste dans l'historique.",
        Restored = "aide-retablie" => "L'aide est rétablie.",
        Verified = "aide-verifiee" => "La source de l'aide est notée vérifiée : l'aide l'affiche, avec la date.",
    }
}
