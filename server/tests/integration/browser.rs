//! A browser without JavaScript for the integration tests: keeps cookies, posts forms with
//! the page's token, does not follow redirects.

use crate::helpers::TestApp;
use std::collections::BTreeMap;

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

    pub async fn send(&mut self, request: reqwest::RequestBuilder) -> Answer {
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let response = request.header("cookie", cookie).send().await.unwrap();
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
