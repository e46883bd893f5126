//! What can go wrong with the stage site forms, and the news after one.

use serde::{Deserialize, Serialize};

codes! {
    StageProblem {
        Name = "stage-nom" => "Le nom du terrain de stage doit compter entre 3 et 120 caractères.",
        Commune = "stage-commune" => "Indiquez la commune du terrain de stage : son nom (par exemple Rodez) ou son code postal ; si plusieurs communes portent ce nom, ajoutez le département, par exemple « Aigues-Vives (30) ».",
        Specialty = "stage-specialite" => "Choisissez la spécialité du stage.",
        Faculty = "stage-faculte" => "Choisissez la faculté qui agrée le terrain : Montpellier-Nîmes ou Toulouse.",
        Levels = "stage-niveaux" => "Cochez au moins un niveau de stage accueilli : niveau 1, SASPAS ou docteur junior.",
        Capacity = "stage-places" => "Indiquez le nombre d'internes accueillis par semestre, de 1 à 20.",
        Supervisors = "stage-maitres" => "Indiquez les maîtres de stage universitaires, un par ligne : de 1 à 20 noms, de 3 à 80 caractères chacun.",
        Activities = "stage-activites" => "Une activité cochée n'est pas reconnue : rechargez la page et cochez de nouveau.",
        Description = "stage-description" => "La présentation doit compter entre 20 et 3 000 caractères.",
        NotAllowed = "stage-organisation" => "Seule une structure de santé ou un cabinet vérifiés peuvent déclarer un terrain de stage.",
        NotFound = "stage-introuvable" => "Ce terrain de stage n'existe pas, ou vous ne pouvez pas le modifier.",
    }
}

field_problem!(StageProblem);

impl StageProblem {
    /// The stage site form's field it concerns (`niveaux`, `activites`: groups of boxes).
    pub fn field(self) -> Option<&'static str> {
        use StageProblem as P;
        Some(match self {
            P::Name => "nom",
            P::Commune => "commune",
            P::Specialty => "specialite",
            P::Faculty => "faculte",
            P::Levels => super::fields::LEVELS,
            P::Capacity => "places",
            P::Supervisors => "maitres_de_stage",
            P::Activities => super::fields::ACTIVITIES,
            P::Description => "description",
            _ => return None,
        })
    }
}

codes! {
    StageNotice {
        Declared = "stage-declare" => "Le terrain de stage est déclaré : il apparaît sur sa page et sur celle de sa commune.",
        Withdrawn = "stage-retire" => "Le terrain de stage est retiré : il n'apparaît plus sur le portail.",
    }
}
