//! The server side of the map's server functions: the service the server crate implements.

use super::{MapCommune, MapFocus, MapFrame, MapLayers, MapList, MapTextPage};
use crate::domain::ServiceError;
use crate::domain::offers::BoardQuery;
use crate::model::{Bounds, InseeCode};
use leptos::prelude::*;
use std::sync::Arc;

#[async_trait::async_trait]
pub trait MapService: Send + Sync {
    async fn frame(&self, focus: MapFocus, list: Option<BoardQuery>) -> Result<Option<MapFrame>, ServiceError>;
    async fn list(&self, query: BoardQuery, zone: Bounds, layers: MapLayers) -> Result<MapList, ServiceError>;
    async fn text(&self, departement: Option<String>, query: BoardQuery) -> Result<MapTextPage, ServiceError>;
    async fn commune(&self, code: &InseeCode) -> Result<Option<MapCommune>, ServiceError>;
}

/// Puts the service in the reactive context of a request.
pub fn provide_map_service(service: Arc<dyn MapService>) {
    crate::domain::service::provide(service);
}

pub(super) fn maps() -> Result<Arc<dyn MapService>, ServerFnError> {
    crate::domain::service::get("service de la carte")
}

pub(super) fn unavailable(error: ServiceError) -> ServerFnError {
    tracing::error!(%error, "map service failed");
    ServerFnError::new("La carte est momentanément indisponible. Réessayez dans un instant.")
}
