//! Where each figure comes from. Every figure on a page names its source and date.

/// A data source as shown under a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub producer: &'static str,
    pub dataset: &'static str,
    pub date: &'static str,
}

pub const INSEE_POPULATION: Source = Source {
    producer: "INSEE",
    dataset: "populations légales (population municipale), COG 2026",
    date: "en vigueur au 1er janvier 2026",
};

pub const DREES_APL_2023: Source = Source {
    producer: "DREES",
    dataset: "APL aux médecins généralistes 2023 (activité 2023, population 2021)",
    date: "2024",
};

pub const DREES_APL_2022: Source = Source {
    producer: "DREES",
    dataset: "APL aux médecins généralistes 2022 (activité 2022, population 2020)",
    date: "2023",
};

pub const SNCF_STATIONS: Source = Source {
    producer: "SNCF",
    dataset: "Gares de voyageurs (Gares & Connexions), distance à vol d'oiseau depuis le centre de la commune",
    date: "export de janvier 2026",
};

pub const ARS_ZONAGE: Source = Source {
    producer: "ARS Occitanie",
    dataset: "zonage des médecins généralistes (arrêtés ARS)",
    date: "en vigueur début 2025",
};

pub const FINESS: Source = Source {
    producer: "FINESS (ministère de la Santé, DREES)",
    dataset: "extraction des établissements",
    date: "8 janvier 2021",
};

pub const DGCL_EPCI: Source = Source {
    producer: "DGCL, INSEE",
    dataset: "EPCI à fiscalité propre et découpage administratif, COG 2026",
    date: "1er janvier 2026",
};
