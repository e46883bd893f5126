//! The box that saves what a page shows as an e-mail alert: the board's filters, or the interns'
//! page's choices of stage sites. A visitor gets the link to sign in that comes back here.

use super::{CsrfField, encode_query_value};
use crate::domain::accounts::{Viewer, paths as account_paths};
use crate::domain::alerts::{AlertSubject, Frequency, fields, paths};
use leptos::prelude::*;

/// "Recevoir … par e-mail": `heading`, what the alert follows in words (`described`), the
/// filters' query string (`search`) of the page `here`, the news in words for the visitor
/// (« les nouvelles offres de cette recherche »), and the frequency chosen at first.
pub struct AlertBox {
    pub subject: AlertSubject,
    pub heading: &'static str,
    pub described: String,
    pub search: String,
    pub here: String,
    pub news: &'static str,
    pub frequency: Frequency,
}

impl AlertBox {
    pub fn view(self, viewer: Viewer) -> impl IntoView {
        let id = format!("alerte-{}", self.subject.code());
        let body = match viewer.user {
            None => view! {
                <p>
                    <a href=format!("{}?suite={}", account_paths::SIGN_IN, encode_query_value(&self.here))>"Connectez-vous"</a>
                    {format!(" pour recevoir par e-mail {}.", self.news)}
                </p>
            }
            .into_any(),
            Some(_) => {
                let subject = self.subject;
                let chosen = self.frequency;
                let frequencies = Frequency::ALL
                    .into_iter()
                    .map(|f| view! { <option value=f.code() selected=f == chosen>{subject.frequency_words(f)}</option> })
                    .collect_view();
                let select = format!("frequence-{}", subject.code());
                view! {
                    <form class="inline-alert" method="post" action=paths::CREATE>
                        <CsrfField csrf=viewer.csrf/>
                        <input type="hidden" name=fields::SEARCH value=self.search/>
                        <input type="hidden" name=fields::SUBJECT value=subject.code()/>
                        <label for=select.clone()>"M'écrire"</label>
                        <select id=select name=fields::FREQUENCY>{frequencies}</select>
                        <button type="submit">"Créer l'alerte"</button>
                    </form>
                    <p class="muted">"Chaque e-mail a un lien pour se désabonner en un clic. "
                        <a href=paths::MINE>"Mes alertes"</a></p>
                }
                .into_any()
            }
        };
        view! {
            <section class="alert-box" aria-labelledby=id.clone()>
                <h2 id=id.clone()>{self.heading}</h2>
                <p>{self.described}</p>
                {body}
            </section>
        }
    }
}
