//! Pieces of the offer pages: the outcome of the last form, the offer form's fields for one
//! kind, and an offer's line in a list.

use crate::components::{CommonCodes, CommuneField, ExampleBadge, Field, FieldNote, ZonageBadge, options, outcome};
use crate::domain::offers::{
    DESCRIPTION_MAX, Housing, NOTE_MAX, OfferCard, OfferForm, OfferKind, OfferMode, OfferNotice, OfferProblem,
    OfferState, OnCall, PayKind, Secretariat, Semester, Specialty, TITLE_MAX,
};
use crate::format;
use leptos::prelude::*;

/// What the redirect after an offer form said (`?erreur=…` or `?info=…`), in French: the
/// offer codes, then the codes common to every form; unknown codes show nothing.
#[component]
pub fn OfferOutcome() -> impl IntoView {
    outcome::<OfferProblem, OfferNotice>(CommonCodes::Said)
}

/// The offer form typed before an error (see `typed_form`).
pub fn typed_offer() -> Option<OfferForm> {
    super::typed_form()
}

/// A `<select>` of a closed list, labelled; the first option asks to choose.
fn select<T: Copy + 'static>(
    id: &'static str,
    label: &'static str,
    all: &'static [T],
    code: fn(T) -> &'static str,
    label_of: fn(T) -> &'static str,
    selected: String,
) -> impl IntoView {
    view! {
        <Field id label let:aria>
            <select id=id name=id required aria-invalid=aria.invalid aria-describedby=aria.describedby>
                {options(all, code, label_of, &selected, "— choisir —")}
            </select>
        </Field>
    }
}

fn text_input(id: &'static str, label: &'static str, value: String, max: usize, required: bool) -> impl IntoView {
    view! {
        <Field id label let:aria>
            <input id=id name=id type="text" maxlength=max.to_string() required=required value=value
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
    }
}

/// A whole number, as text: the server reads "4 500 €" as well as "4500".
fn number_input(id: &'static str, label: &'static str, value: String) -> impl IntoView {
    view! {
        <Field id label let:aria>
            <input id=id name=id type="text" inputmode="numeric" value=value
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
    }
}

/// A whole number with a hint under it.
fn number_input_with(id: &'static str, label: &'static str, value: String, hint: String) -> impl IntoView {
    view! {
        <Field id label hint let:aria>
            <input id=id name=id type="text" inputmode="numeric" value=value
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
    }
}

fn date_input(id: &'static str, label: &'static str, value: String, required: bool) -> impl IntoView {
    view! {
        <Field id label let:aria>
            <input id=id name=id type="date" required=required value=value
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
    }
}

/// A free text of a few lines.
fn text_area(id: &'static str, label: &'static str, value: String, rows: u8) -> impl IntoView {
    view! {
        <Field id label let:aria>
            <textarea id=id name=id maxlength=NOTE_MAX.to_string() rows=rows.to_string()
                aria-invalid=aria.invalid aria-describedby=aria.describedby>{value}</textarea>
        </Field>
    }
}

/// Every field of an offer of `kind`, filled with `form`. Field names and ids are those of
/// `OfferForm`'s serde names, which the handler reads.
/// The stage site an offer points to: one of the organisation's, or none.
fn stage_site_field(sites: &[(i64, String)], selected: &str) -> impl IntoView + use<> {
    if sites.is_empty() {
        return view! {
            <p class="muted">"Votre organisation n'a pas encore déclaré de terrain de stage : déclarez-le depuis la page de l'organisation, l'offre pourra y renvoyer."</p>
        }
        .into_any();
    }
    let options = sites
        .iter()
        .map(|(id, name)| {
            let value = id.to_string();
            view! { <option value=value.clone() selected=selected == value>{name.clone()}</option> }
        })
        .collect_view();
    view! {
        <Field id="terrain" label="Terrain de stage" let:aria>
            <select id="terrain" name="terrain" aria-invalid=aria.invalid aria-describedby=aria.describedby>
                <option value="" selected=selected.is_empty()>"— aucun —"</option>
                {options}
            </select>
        </Field>
    }
    .into_any()
}

#[component]
pub fn OfferFields(
    kind: OfferKind,
    form: OfferForm,
    /// The organisation's open stage sites, a stage offer's choices: (id, name).
    stage_sites: Vec<(i64, String)>,
) -> impl IntoView {
    let f = form;
    let modes = kind.modes();
    let mode_field = (!modes.is_empty()).then(|| {
        view! { {select("modalite", "Modalité", modes, OfferMode::code, OfferMode::label, f.mode.clone())} }
    });
    let start_label = match kind {
        OfferKind::Installation => "Date de début (pour une succession : date de passation)",
        OfferKind::Remplacement => "Premier jour du remplacement",
        _ => "Date de prise de poste (laisser vide : dès que possible)",
    };
    let end_label = match kind {
        OfferKind::Remplacement => "Dernier jour (obligatoire pour un remplacement ponctuel)",
        _ => "Date de fin, pour un poste à durée déterminée",
    };
    let specific = match kind {
        OfferKind::Remplacement => {
            view! { {number_input("jours_par_semaine", "Jours par semaine", f.days_per_week.clone())} }.into_any()
        }
        OfferKind::Installation => view! {
            <fieldset>
                <legend>"Pour une succession"</legend>
                {number_input("patientele", "Patientèle (patients ayant déclaré le médecin traitant)", f.patient_count.clone())}
                {text_area("transmission", "Comment se passe la transmission (accompagnement, cabinet, murs)", f.handover_plan.clone(), 3)}
            </fieldset>
        }
        .into_any(),
        OfferKind::ExerciceMixte => view! {
            <fieldset>
                <legend>"Répartition de la semaine (en demi-journées, 10 au plus)"</legend>
                {number_input("demi_journees_liberal", "Demi-journées en libéral", f.half_days_liberal.clone())}
                {number_input("demi_journees_salarie", "Demi-journées en salariat", f.half_days_salaried.clone())}
            </fieldset>
        }
        .into_any(),
        OfferKind::Stage => view! {
            <fieldset>
                <legend>"Le stage"</legend>
                {stage_site_field(&stage_sites, &f.stage_site)}
                {select("semestre", "Semestre", Semester::ALL, Semester::code, Semester::label, f.semester.clone())}
                {number_input("annee_semestre", "Année du semestre", f.semester_year.clone())}
                {text_input("maitres_de_stage", "Maître(s) de stage universitaires (MSU)", f.supervisors.clone(), 300, true)}
                {text_input("faculte", "Faculté de rattachement", f.faculty.clone(), 120, false)}
                {text_area("transport", "Transport (trajets, véhicule, indemnités)", f.transport.clone(), 2)}
            </fieldset>
        }
        .into_any(),
        OfferKind::Salariat | OfferKind::Assistanat => ().into_any(),
    };
    view! {
        <input type="hidden" name="type" value=kind.code()/>
        {mode_field}
        <Field id="titre" label="Titre de l'offre" hint="Par exemple « Remplacement d'été en MSP à Saint-Affrique »." let:aria>
            <input id="titre" name="titre" type="text" required minlength="5" maxlength=TITLE_MAX.to_string() value=f.title.clone()
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
        <Field id="description" label="Description"
            hint="Patientèle, équipe, organisation du cabinet, vie locale : ce que vous voudriez savoir à sa place." let:aria>
            <textarea id="description" name="description" required minlength="20" maxlength=DESCRIPTION_MAX.to_string() rows="8"
                aria-invalid=aria.invalid aria-describedby=aria.describedby>{f.description.clone()}</textarea>
        </Field>
        {select("specialite", "Spécialité", Specialty::ALL, Specialty::code, Specialty::label, f.specialty.clone())}

        <fieldset>
            <legend>"Lieu d'exercice"</legend>
            <CommuneField id="commune".to_owned() name="commune".to_owned() label="Commune".to_owned()
                value=f.commune.clone() required=true/>
            <FieldNote id="commune"/>
            <Field id="finess" label="Numéro FINESS de la structure (facultatif)" let:aria>
                <input id="finess" name="finess" type="text" maxlength="9" autocomplete="off" value=f.finess.clone()
                    aria-invalid=aria.invalid aria-describedby=aria.describedby/>
            </Field>
            {number_input("medecins_equipe", "Médecins de l'équipe, le poste proposé compris (facultatif ; 1 si l'on exerce seul)", f.team_size.clone())}
        </fieldset>

        <fieldset>
            <legend>"Dates"</legend>
            {date_input("debut", start_label, f.start.clone(), kind == OfferKind::Remplacement)}
            {date_input("fin", end_label, f.end.clone(), false)}
            {specific}
        </fieldset>

        <fieldset>
            <legend>"Conditions d'exercice (obligatoires)"</legend>
            {select("remuneration", "Rémunération", kind.pay_kinds(), PayKind::code, PayKind::label, f.pay_kind.clone())}
            {number_input_with("remuneration_min", "Montant", f.pay_min.clone(), pay_hint(kind))}
            {number_input("remuneration_max", "Jusqu'à (facultatif, pour une fourchette)", f.pay_max.clone())}
            {select("gardes", "Gardes (permanence des soins)", OnCall::ALL, OnCall::code, OnCall::label, f.on_call.clone())}
            {select("secretariat", "Secrétariat", Secretariat::ALL, Secretariat::code, Secretariat::label, f.secretariat.clone())}
            {text_input("logiciel", "Logiciel médical", f.software.clone(), 80, true)}
            {select("logement", "Logement", Housing::ALL, Housing::code, Housing::label, f.housing.clone())}
        </fieldset>

        <fieldset>
            <legend>"Atouts (facultatif)"</legend>
            <p class="check">
                <input id="cabinet_fourni" name="cabinet_fourni" type="checkbox" value="oui" checked=f.practice_provided == "oui"/>
                <label for="cabinet_fourni">"Cabinet mis à disposition"</label>
            </p>
            <p class="check">
                <input id="materiel_fourni" name="materiel_fourni" type="checkbox" value="oui" checked=f.equipment_provided == "oui"/>
                <label for="materiel_fourni">"Matériel fourni"</label>
            </p>
            {text_area("atouts", "Autres atouts (aides de la commune, emploi du conjoint, école…)", f.perks.clone(), 3)}
        </fieldset>

        <fieldset>
            <legend>"Publication"</legend>
            {date_input("publier_jusqu_au", "Publier jusqu'au (laisser vide : 60 jours ; 180 jours au plus)", f.publish_until.clone(), false)}
            <p class="muted">"Une semaine avant la fin, les membres de l'organisation reçoivent un e-mail pour prolonger l'offre ou la dire pourvue."</p>
        </fieldset>
    }
}

/// What unit the amount is in, for each basis this kind offers: "En % pour une rétrocession
/// d'honoraires ; en € brut par mois pour un salaire ; … Vide si « à discuter »."
fn pay_hint(kind: OfferKind) -> String {
    let units = kind
        .pay_kinds()
        .iter()
        .filter_map(|pay| pay.unit().map(|unit| format!("en {unit} pour « {} »", pay.label().to_lowercase())))
        .collect::<Vec<_>>();
    format!("{} ; vide si « à discuter ».", format::capitalised(&units.join(" ; ")))
}

/// "Remplacement — ponctuel", "Installation libérale — succession".
pub fn kind_text(kind: OfferKind, mode: Option<OfferMode>) -> String {
    match mode {
        Some(mode) => format!("{} — {}", kind.label(), mode.label().to_lowercase()),
        None => kind.label().to_owned(),
    }
}

/// "du 1er juillet 2027 au 31 juillet 2027", "à partir du 1er septembre 2027", "dès que possible".
pub fn dates_text(start: Option<crate::model::Day>, end: Option<crate::model::Day>) -> String {
    match (start, end) {
        (Some(start), Some(end)) => format!("du {} au {}", start.french(), end.french()),
        (Some(start), None) => format!("à partir du {}", start.french()),
        (None, Some(end)) => format!("jusqu'au {}", end.french()),
        (None, None) => "dès que possible".to_owned(),
    }
}

/// The badge of an offer that is not open.
#[component]
pub fn OfferStateBadge(state: OfferState) -> impl IntoView {
    let class = match state {
        OfferState::Open => "badge ok",
        OfferState::Draft => "badge todo",
        OfferState::Expired | OfferState::Filled | OfferState::Withdrawn => "badge refused",
    };
    view! { <span class=class data-state=state.label()>{state.label()}</span> }
}

/// Text someone typed, cut into pieces, the pieces that matched a search in `<mark>`.
#[component]
pub fn MarkedText(pieces: Vec<(String, bool)>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|(text, marked)| if marked { view! { <mark>{text}</mark> }.into_any() } else { text.into_any() })
        .collect_view()
}

/// An offer's line in a list; with a search, its title and a snippet of its description
/// with the matching words highlighted; its distance from the commune searched around and how
/// it fits the viewer's search, when there are (inside the item: a list holds nothing else).
#[component]
pub fn OfferCardView(
    card: OfferCard,
    #[prop(optional)] show_state: bool,
    #[prop(optional)] title_marks: Vec<(String, bool)>,
    #[prop(optional)] snippet: Vec<(String, bool)>,
    #[prop(default = None)] distance_km: Option<f64>,
    #[prop(default = None)] fit: Option<crate::domain::candidates::Match>,
) -> impl IntoView {
    let kind = kind_text(card.kind, card.mode);
    let title = if title_marks.is_empty() {
        card.title.clone().into_any()
    } else {
        view! { <MarkedText pieces=title_marks/> }.into_any()
    };
    let snippet = (snippet.iter().any(|(_, marked)| *marked))
        .then(|| view! { <p class="snippet"><MarkedText pieces=snippet/></p> });
    view! {
        <li class="offer-card">
            <h3><a href=card.path.clone()>{title}</a></h3>
            {snippet}
            {card.example.then(|| view! { <ExampleBadge title="Offre de démonstration, pas une vraie offre"/> })}
            {show_state.then(|| view! { <OfferStateBadge state=card.state/> })}
            <p class="offer-meta">
                <span>{kind}</span> " · " <span>{card.specialty.label()}</span> " · "
                <span>{format!("{} ({})", card.commune_name, card.departement_code)}</span>
                " " <ZonageBadge zonage=card.zonage/>
            </p>
            <p class="offer-meta">
                <span>{dates_text(card.start, card.end)}</span> " · "
                <span>{card.pay.text()}</span> " · "
                <span>{card.housing.label()}</span>
            </p>
            <p class="muted">{card.publisher.clone()}</p>
            {distance_km.map(|km| view! { <p class="distance">{format!("à {} km", format::int(km.round() as i64))}</p> })}
            {fit.map(|fit| view! { <FitView fit/> })}
        </li>
    }
}

/// How an offer and a candidate fit: the score and its reasons, for and against.
#[component]
pub fn FitView(fit: crate::domain::candidates::Match) -> impl IntoView {
    let reasons = fit
        .reasons
        .into_iter()
        .map(|reason| {
            let class = if reason.good { "reason good" } else { "reason bad" };
            let sign = if reason.good { "✓ " } else { "✗ " };
            view! { <li class=class><span aria-hidden="true">{sign}</span>{reason.text}</li> }
        })
        .collect_view();
    view! {
        <div class="fit">
            <p class="fit-score">{format!("Correspondance : {} %", fit.score)}</p>
            <ul class="reasons">{reasons}</ul>
        </div>
    }
}

/// What the redirect after an alert form or an unsubscribe link said, in French.
#[component]
pub fn AlertOutcome() -> impl IntoView {
    use crate::domain::alerts::{AlertNotice, AlertProblem};
    outcome::<AlertProblem, AlertNotice>(CommonCodes::Said)
}
