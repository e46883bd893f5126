//! The one form layout, as the server sends it back after a refusal: on every kind of form
//! (profile, wishes, organisation, local aid, territory page), the refused field says it is
//! invalid, its message sits under it (and is what the field points to), and the summary at the
//! top links to it; what was typed comes back.

use crate::browser::{Browser, says};
use crate::helpers::spawn_app;
use crate::seeds::World;

/// The opening tag of the element whose id is `id`.
fn tag<'h>(html: &'h str, id: &str) -> &'h str {
    let at = html.find(&format!(" id=\"{id}\"")).unwrap_or_else(|| panic!("no element #{id}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

/// `html` marks field `id` as refused with `message`, in the one layout.
pub fn refused_field(html: &str, id: &str, message: &str) {
    let field = tag(html, id);
    assert!(field.contains("aria-invalid=\"true\""), "#{id} not marked invalid: {field}");
    assert!(field.contains(&format!("{id}-erreur")), "#{id} does not point to its message: {field}");
    let note = tag(html, &format!("{id}-erreur"));
    assert!(note.contains("field-problem"), "{note}");
    let after = &html[html.find(&format!("id=\"{id}-erreur\"")).unwrap()..];
    assert!(says(&after[..after.find("</p>").unwrap()], message), "the message under #{id}");
    assert!(html.contains(&format!("href=\"#{id}\"")), "the summary links to #{id}");
    // Only that field is marked.
    assert_eq!(html.matches("aria-invalid=\"true\"").count(), 1, "one refused field");
}

#[tokio::test]
async fn every_form_marks_its_refused_field_and_says_why_under_it() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let commune = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    let mut browser = Browser::signed_in(&app, "claire@decazeville.example").await;

    // Profile: an RPPS number whose key is wrong.
    let answer = browser
        .submit(
            "/compte/profil",
            "/compte/profil",
            &[("statut", "installe"), ("specialite", "Médecine générale"), ("rpps", "10000000008")],
        )
        .await;
    let page = browser.get(&answer.location).await.body;
    refused_field(&page, "rpps", "Ce numéro RPPS n'est pas valide");
    assert!(page.contains("value=\"10000000008\""));

    // Wishes: a radius of a thousand kilometres.
    let answer = browser
        .submit(
            "/compte/recherche",
            "/compte/recherche",
            &[("specialite", "medecine_generale"), ("type_remplacement", "oui"), ("rayon", "1000")],
        )
        .await;
    let page = browser.get(&answer.location).await.body;
    refused_field(&page, "rayon", "Le rayon de recherche est un nombre de kilomètres");

    // Organisation: a name of one letter.
    let answer = browser
        .submit("/organisations/nouvelle", "/organisations/nouvelle", &[("type", "msp"), ("nom", "X"), ("code", "")])
        .await;
    let page = browser.get(&answer.location).await.body;
    refused_field(&page, "nom", "Le nom de l'organisation doit compter entre 2 et 120 caractères");

    // A local aid whose source is not an address.
    let aids = format!("/organisations/{commune}/aides");
    let answer = browser
        .submit(
            &aids,
            &aids,
            &[
                ("nom", "Prime communale d'installation"),
                ("categorie", "financiere"),
                ("montant", "4000"),
                ("unite", "once"),
                ("montant_texte", "4 000 € versés à l'installation"),
                ("resume", "La commune verse une prime au médecin qui s'installe."),
                ("conditions", "S'installer dans la commune."),
                ("objets", "installation"),
                ("source", "la mairie"),
            ],
        )
        .await;
    let page = browser.get(&answer.location).await.body;
    refused_field(&page, "source", "Indiquez l'adresse (https://…) de la délibération");
    assert!(
        page.contains("value=\"Prime communale d&#x27;installation\"")
            || page.contains("Prime communale d'installation")
    );

    // The territory page: a video that is not https.
    let editor = format!("/organisations/{commune}/territoire");
    let answer =
        browser.submit(&editor, &editor, &[("presentation", "Bienvenue."), ("video", "http://exemple.fr/film")]).await;
    let page = browser.get(&answer.location).await.body;
    refused_field(&page, "video", "Le lien de la vidéo doit être une adresse https://");

    // A group of choices (the profile's status) has its message inside it, and the link.
    let answer = browser.submit("/compte/profil", "/compte/profil", &[("specialite", "Médecine générale")]).await;
    let page = browser.get(&answer.location).await.body;
    assert!(tag(&page, "statut-erreur").contains("field-problem") && page.contains("href=\"#statut\""));
    assert!(!page.contains("aria-invalid=\"true\""));
}
