//! What can go wrong with an offer form (`?erreur=…`) and the good news after one (`?info=…`),
//! each as a code in the address and the French sentence the page shows. The codes common to
//! every form (expired form, sign-in required, service unavailable) are those of
//! `account::Problem`.

use serde::{Deserialize, Serialize};

codes! {
    OfferProblem {
        KindMissing = "offre-type" => "Choisissez le type d'offre.",
        ModeMissing = "offre-modalite" => "Précisez la modalité de l'offre (par exemple succession ou association pour une installation, ponctuel ou régulier pour un remplacement).",
        Title = "offre-titre" => "Le titre doit compter entre 5 et 120 caractères.",
        Description = "offre-description" => "La description doit compter entre 20 et 5 000 caractères : dites ce que les médecins veulent savoir (patientèle, équipe, organisation).",
        Specialty = "offre-specialite" => "Choisissez la spécialité recherchée.",
        CommuneMissing = "offre-commune" => "Indiquez la commune où l'on exerce : son nom (par exemple Rodez) ou son code postal.",
        CommuneInvalid = "offre-commune-invalide" => "Nous ne trouvons pas cette commune en Occitanie : vérifiez son nom ou son code postal, ou choisissez parmi les suggestions. Si plusieurs communes portent ce nom ou ce code postal, ajoutez le département, par exemple « Aigues-Vives (30) ».",
        CommuneUnknown = "offre-commune-inconnue" => "Aucune commune du portail ne porte ce nom ni ce code postal (le portail couvre pour l'instant l'Occitanie).",
        FinessInvalid = "offre-finess" => "Ce numéro FINESS n'est pas valide : il compte 9 caractères dont une clé de contrôle. Laissez le champ vide si l'offre n'est pas dans une structure.",
        FinessUnknown = "offre-finess-inconnu" => "Aucune structure de santé du répertoire FINESS importé n'a ce numéro. Vérifiez-le, ou laissez le champ vide.",
        StartMissing = "offre-debut" => "Indiquez la date de début (pour une succession, la date de passation).",
        StartInvalid = "offre-debut-invalide" => "La date de début n'est pas une date valide (format attendu : AAAA-MM-JJ).",
        StartTooFar = "offre-debut-lointain" => "La date de début est à plus de trois ans : publiez l'offre plus tard.",
        EndMissing = "offre-fin" => "Indiquez la date de fin du remplacement.",
        EndInvalid = "offre-fin-invalide" => "La date de fin n'est pas une date valide (format attendu : AAAA-MM-JJ).",
        EndBeforeStart = "offre-fin-avant-debut" => "La date de fin est avant la date de début.",
        EndPassed = "offre-fin-passee" => "La date de fin est déjà passée.",
        DaysPerWeek = "offre-jours" => "Indiquez le nombre de jours par semaine, de 1 à 7.",
        PatientCount = "offre-patientele" => "La taille de la patientèle est un nombre de patients (par exemple 1 200).",
        HalfDays = "offre-demi-journees" => "Répartissez la semaine en demi-journées : au moins une en libéral et une en salariat, 10 au plus en tout.",
        Semester = "offre-semestre" => "Choisissez le semestre (novembre ou mai) et son année (cette année ou l'une des deux suivantes).",
        Supervisors = "offre-msu" => "Indiquez le ou les maîtres de stage universitaires (MSU).",
        StageSite = "offre-terrain" => "Choisissez l'un des terrains de stage de votre organisation, ou aucun.",
        PayKind = "offre-remuneration" => "Choisissez la rémunération parmi celles de la liste : elle dépend du type d'offre (une rétrocession ne vaut que pour un remplacement).",
        PayTurnover = "offre-chiffre-affaires" => "Le chiffre d'affaires d'un cabinet repris ne se donne que pour une succession ou une association : choisissez sinon les honoraires attendus ou « à discuter ».",
        PayToDiscuss = "offre-montant-a-discuter" => "Vous avez choisi « à discuter » : laissez le montant vide, ou choisissez ce qu'il représente.",
        PayMissing = "offre-montant" => "Indiquez la rémunération : c'est la première information que cherchent les médecins.",
        PayAmount = "offre-montant-invalide" => "La rémunération est un nombre entier : un pourcentage de 1 à 100 pour une rétrocession, un montant mensuel brut en euros (300 à 60 000) pour un salaire ou un revenu garanti, un montant annuel en euros (5 000 à 3 000 000) pour des honoraires ou un chiffre d'affaires.",
        PayRange = "offre-fourchette" => "Le haut de la fourchette de rémunération est plus bas que le bas.",
        OnCall = "offre-gardes" => "Indiquez ce qu'il en est des gardes (permanence des soins).",
        Secretariat = "offre-secretariat" => "Indiquez s'il y a un secrétariat.",
        Software = "offre-logiciel" => "Indiquez le logiciel médical utilisé (2 à 80 caractères), ou « à choisir ».",
        TeamSize = "offre-equipe" => "Le nombre de médecins de l'équipe, vous compris, est un nombre entier de 1 à 500 (1 si l'on exerce seul ; laissez vide si vous ne savez pas).",
        Housing = "offre-logement" => "Indiquez si un logement est fourni.",
        NoteTooLong = "offre-texte-long" => "Un des textes est trop long : 1 000 caractères au plus (300 pour les maîtres de stage, 120 pour la faculté).",
        PublishUntil = "offre-expiration" => "La fin de publication doit tomber entre demain et 180 jours après aujourd'hui.",
        OrganisationUnverified = "offre-organisation-non-verifiee" => "Votre organisation n'est pas encore vérifiée par la modération : vous pouvez préparer l'offre, elle sera publiable une fois l'organisation vérifiée.",
        OrganisationClosed = "offre-organisation-fermee" => "Cette organisation est fermée : elle ne prépare ni ne publie plus d'offres.",
        NotFound = "offre-introuvable" => "Cette offre n'existe pas, ou vous n'êtes pas membre de l'organisation qui la publie.",
        WrongStatus = "offre-etat" => "Cette action n'est pas possible dans l'état actuel de l'offre.",
    }
}

field_problem!(OfferProblem);

impl OfferProblem {
    /// The id of the offer form's field the problem is about, for its message beside it (the
    /// form's summary at the top links there); None for what concerns the whole offer.
    pub fn field(self) -> Option<&'static str> {
        use OfferProblem as P;
        Some(match self {
            P::ModeMissing => "modalite",
            P::Title => "titre",
            P::Description => "description",
            P::Specialty => "specialite",
            P::CommuneMissing | P::CommuneInvalid | P::CommuneUnknown => "commune",
            P::FinessInvalid | P::FinessUnknown => "finess",
            P::StartMissing | P::StartInvalid | P::StartTooFar => "debut",
            P::EndMissing | P::EndInvalid | P::EndBeforeStart | P::EndPassed => "fin",
            P::DaysPerWeek => "jours_par_semaine",
            P::PatientCount => "patientele",
            P::HalfDays => "demi_journees_liberal",
            P::Semester => "semestre",
            P::Supervisors => "maitres_de_stage",
            P::StageSite => "terrain",
            P::PayKind | P::PayTurnover => "remuneration",
            P::PayToDiscuss | P::PayMissing | P::PayAmount => "remuneration_min",
            P::PayRange => "remuneration_max",
            P::OnCall => "gardes",
            P::Secretariat => "secretariat",
            P::Software => "logiciel",
            P::TeamSize => "medecins_equipe",
            P::Housing => "logement",
            P::PublishUntil => "publier_jusqu_au",
            P::KindMissing
            | P::NoteTooLong
            | P::OrganisationUnverified
            | P::OrganisationClosed
            | P::NotFound
            | P::WrongStatus => return None,
        })
    }
}

codes! {
    OfferNotice {
        Saved = "offre-enregistree" => "L'offre est enregistrée comme brouillon. Relisez l'aperçu, puis publiez-la.",
        Updated = "offre-modifiee" => "L'offre est modifiée.",
        Published = "offre-publiee" => "L'offre est publiée : elle apparaît dans la liste des offres jusqu'à sa date de fin de publication.",
        Renewed = "offre-prolongee" => "L'offre est prolongée de 60 jours.",
        Filled = "offre-pourvue" => "L'offre est marquée pourvue : elle n'apparaît plus dans la liste, et sa page l'indique.",
        Withdrawn = "offre-retiree" => "L'offre est retirée : elle n'apparaît plus dans la liste, et sa page l'indique.",
    }
}
