//! A browser without JavaScript for the integration tests: keeps cookies, posts forms with
//! the page's token, does not follow redirects.

use crate::helpers::TestApp;
use crate::seeds::{PASSWORD, SITE};
use std::collections::BTreeMap;
use std::time::Duration;

/// A browser: keeps cookies, does not follow redirects.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
    /// Every Set-Cookie header received, as sent.
    pub set_cookies: Vec<String>,
}

pub struct Answer {
    pub status: u16,
    pub location: String,
    pub body: String,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookies: BTreeMap::new(), set_cookies: Vec::new() }
    }

    /// Its cookies, as a `Cookie` header sends them.
    pub fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    pub async fn send(&mut self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.header("cookie", self.cookie_header()).send().await.unwrap();
        for value in response.headers().get_all("set-cookie") {
            let value = value.to_str().unwrap().to_owned();
            let (pair, _) = value.split_once(';').unwrap_or((&value, ""));
            let (name, v) = pair.split_once('=').unwrap();
            if value.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), v.to_owned());
            }
            self.set_cookies.push(value);
        }
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
        Answer { status, location, body: response.text().await.unwrap() }
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        let request = self.app.client.get(format!("{}{path}", self.app.address));
        self.send(request).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let request = self.app.client.post(format!("{}{path}", self.app.address)).form(form);
        self.send(request).await
    }

    /// Opens `page` and posts its form to `action` with the page's form token.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Answer {
        let html = self.get(page).await.body;
        let csrf = form_token(&html);
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.post(action, &form).await
    }

    /// A browser signed in, through the sign-in form, as `email` (an account made with the
    /// seeds' password).
    pub async fn signed_in(app: &'a TestApp, email: &str) -> Self {
        let mut browser = Browser::new(app);
        let answer = browser.submit("/connexion", "/connexion", &[("email", email), ("mot_de_passe", PASSWORD)]).await;
        assert_eq!(answer.status, 303, "sign-in of {email}: {}", answer.location);
        browser
    }

    /// Creates an account through the sign-up form (which signs in).
    pub async fn sign_up(&mut self, email: &str, name: &str) {
        let answer = self
            .submit("/inscription", "/inscription", &[("nom", name), ("email", email), ("mot_de_passe", PASSWORD)])
            .await;
        assert_eq!(answer.location, "/compte?info=bienvenue");
    }

    /// Follows the verification link of the sign-up mail.
    pub async fn confirm(&mut self, email: &str) {
        let link = link_in(&mail_to(self.app, email, "/compte/verification").await);
        assert_eq!(self.get(&link).await.location, "/compte?info=adresse-confirmee");
    }

    /// Signs up and confirms the address.
    pub async fn confirmed(&mut self, email: &str, name: &str) {
        self.sign_up(email, name).await;
        self.confirm(email).await;
    }

    /// Creates an organisation through its form; returns its id and page.
    pub async fn create_organisation(&mut self, kind: &str, name: &str, code: &str) -> (i64, String) {
        let created = self
            .submit(
                "/organisations/nouvelle",
                "/organisations/nouvelle",
                &[("type", kind), ("nom", name), ("code", code)],
            )
            .await;
        let id = organisation_of(&created.location);
        (id, format!("/organisations/{id}"))
    }
}

/// Waits for the worker to send a mail to `to` holding `text` (a link's path), and returns
/// its text.
pub async fn mail_to(app: &TestApp, to: &str, text: &str) -> String {
    for _ in 0..100 {
        let sent = app.mailer.sent().unwrap();
        if let Some(mail) = sent.into_iter().rev().find(|m| m.to() == to && m.text().contains(text)) {
            return mail.text().to_owned();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no mail to {to} with {text}");
}

/// The first link of the site in a mail, as a path.
pub fn link_in(text: &str) -> String {
    let start = text.find(SITE).expect("a link") + SITE.len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

/// The organisation id of an address "/organisations/{id}?…".
pub fn organisation_of(location: &str) -> i64 {
    location.trim_start_matches("/organisations/").split('?').next().unwrap().parse().unwrap()
}

/// Whether the page shows `text` (the server escapes apostrophes in HTML).
pub fn says(html: &str, text: &str) -> bool {
    html.contains(text) || html.contains(&text.replace('\'', "&#x27;"))
}

pub fn form_token(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = html.find(marker).unwrap_or_else(|| panic!("no form token in {html}")) + marker.len();
    html[at..at + 64].to_owned()
}
