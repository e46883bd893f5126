//! Views reused by several pages.

mod aid;
mod alert;
mod application;
mod breadcrumb;
mod chart;
mod commune_field;
mod commune_search;
mod example;
mod field;
mod forms;
mod islands;
mod map;
mod offer;
mod organisation;
mod outcome;
mod promotion;
mod seo;
mod source;
mod stations;
mod summary;
mod tables;
mod text;

pub use aid::{AidCard, AidOutcome, CommuneAids, LocalAidFields, SimulationView, amount_figure};
pub use alert::AlertBox;
pub use application::{ApplicationOutcome, ApplicationStatusBadge, ApplicationTable, typed_message};
pub use breadcrumb::{Breadcrumb, Crumb, OutcomesLink, home_crumb};
pub use chart::{BarChart, Series};
pub use commune_field::CommuneField;
pub use commune_search::CommuneSearch;
pub use example::{ExampleBadge, NotIndexedIf};
pub use field::{
    CheckField, Field, FieldNote, Refusal, RefusedFieldLink, options, provide_item_refusal, provide_refusal,
    provide_refusal_at,
};
pub use forms::{
    CommonCodes, ConfirmedAction, ConfirmedDisclosure, CsrfField, FormOutcome, SignInFirst, checkboxes, outcome,
    typed_for, typed_form,
};
pub use islands::{loader_script, render_islands_only};
pub use map::style as map_style;
pub use map::{FILTERS_CHANGED, TerritoryMap};
pub use offer::{
    AlertOutcome, FitView, MarkedText, OfferCardView, OfferFields, OfferOutcome, OfferStateBadge, dates_text,
    kind_text, typed_offer,
};
pub use organisation::{
    OrganisationFields, OrganisationOutcome, ReferenceText, StatusBadge, access_view, encode_query_value, exchange_list,
};
pub use outcome::{Moved, NotFound, lookup_view, unavailable_view};
pub use promotion::{PromotionOutcome, PromotionView, TerritoryPromotion};
pub use seo::{Seo, json_ld, territory_ld};
pub use source::SourceNote;
pub use stations::{StationsCard, StationsFacts};
pub use summary::{AplValue, HealthSummaryView, ZonageBadge};
pub use tables::{CommuneTable, StructureList};
pub use text::{Paragraphs, paragraphs_of};
