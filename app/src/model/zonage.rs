//! The ARS zoning of general practice, explained in plain French.

use serde::{Deserialize, Serialize};

/// Zoning of a commune for médecins généralistes, set by the ARS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Zonage {
    /// Zone d'intervention prioritaire: the most under-served areas.
    Zip,
    /// Zone d'action complémentaire.
    Zac,
    /// Zone d'accompagnement régional.
    Zar,
}

impl Zonage {
    pub const ALL: [Zonage; 3] = [Zonage::Zip, Zonage::Zac, Zonage::Zar];

    /// The code stored in the database and in the source file.
    pub fn code(self) -> &'static str {
        match self {
            Zonage::Zip => "ZIP",
            Zonage::Zac => "ZAC",
            Zonage::Zar => "ZAR",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|z| z.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Zonage::Zip => "Zone d'intervention prioritaire (ZIP)",
            Zonage::Zac => "Zone d'action complémentaire (ZAC)",
            Zonage::Zar => "Zone d'accompagnement régional (ZAR)",
        }
    }

    pub fn short_label(self) -> &'static str {
        match self {
            Zonage::Zip => "ZIP",
            Zonage::Zac => "ZAC",
            Zonage::Zar => "ZAR",
        }
    }

    /// What the zoning means for a doctor who considers settling here.
    pub fn explanation(self) -> &'static str {
        match self {
            Zonage::Zip => {
                "L'ARS classe cette commune parmi les territoires les plus en difficulté pour \
                 l'accès aux médecins généralistes. Un médecin qui s'y installe ou y exerce peut \
                 prétendre aux aides les plus fortes de l'Assurance maladie, de l'État et des \
                 collectivités (aides à l'installation, exonérations, contrats d'engagement)."
            }
            Zonage::Zac => {
                "L'offre de soins y est fragile sans être la plus critique. L'installation y est \
                 encouragée par des aides de l'ARS et des collectivités, moins nombreuses que \
                 dans les zones d'intervention prioritaire."
            }
            Zonage::Zar => {
                "Ni ZIP ni ZAC : l'ARS y suit l'offre de soins et peut soutenir des projets \
                 d'exercice coordonné, mais les aides conventionnelles à l'installation ne s'y \
                 appliquent en général pas."
            }
        }
    }

    /// A CSS class suffix for the badge colour.
    pub fn css(self) -> &'static str {
        match self {
            Zonage::Zip => "zip",
            Zonage::Zac => "zac",
            Zonage::Zar => "zar",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for z in Zonage::ALL {
            assert_eq!(Zonage::from_code(z.code()), Some(z));
        }
        assert_eq!(Zonage::from_code("HZ"), None);
    }
}
