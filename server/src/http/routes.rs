//! The form handlers' routes, recorded as each module adds them: the router serves them, and
//! the list says which exist, so that the access-control matrix (tests/integration/access.rs)
//! knows every route and a new one cannot ship without a line that says who may call it.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::{get, post};

/// How a route is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verb {
    Get,
    Post,
}

/// One route: its method and its pattern (`/offres/{id}/publication`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub verb: Verb,
    pub pattern: &'static str,
}

/// A module's routes over its state `S`, and their list.
pub struct Routes<S = ()> {
    router: Router<S>,
    listed: Vec<Route>,
}

impl<S: Clone + Send + Sync + 'static> Routes<S> {
    pub fn new() -> Self {
        Self { router: Router::new(), listed: Vec::new() }
    }

    fn add(mut self, verb: Verb, pattern: &'static str, route: axum::routing::MethodRouter<S>) -> Self {
        self.router = self.router.route(pattern, route);
        self.listed.push(Route { verb, pattern });
        self
    }

    /// A read (a page's link: a download, a mailed link).
    pub fn get<H: Handler<T, S>, T: 'static>(self, pattern: &'static str, handler: H) -> Self {
        self.add(Verb::Get, pattern, get(handler))
    }

    /// A form's handler.
    pub fn post<H: Handler<T, S>, T: 'static>(self, pattern: &'static str, handler: H) -> Self {
        self.add(Verb::Post, pattern, post(handler))
    }

    /// A form's handler that takes files: bodies up to `bytes` instead of axum's 2 MB.
    pub fn post_up_to<H: Handler<T, S>, T: 'static>(self, pattern: &'static str, handler: H, bytes: usize) -> Self {
        self.add(Verb::Post, pattern, post(handler).layer(DefaultBodyLimit::max(bytes)))
    }

    /// The routes with their state given.
    pub fn with_state(self, state: S) -> Routes<()> {
        Routes { router: self.router.with_state(state), listed: self.listed }
    }
}

impl<S: Clone + Send + Sync + 'static> Default for Routes<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes<()> {
    /// Merges `other`'s routes and list into these.
    pub fn merge(self, other: Routes<()>) -> Self {
        let mut listed = self.listed;
        listed.extend(other.listed);
        Routes { router: self.router.merge(other.router), listed }
    }

    /// The router to serve, and the list of its routes.
    pub fn into_parts(self) -> (Router, Vec<Route>) {
        (self.router, self.listed)
    }
}
