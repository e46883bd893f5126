//! What can go wrong with the territory-page and guichet forms, and the news after one.

use serde::{Deserialize, Serialize};

codes! {
    PromotionProblem {
        TooLong = "page-trop-long" => "Un des textes est trop long : 20 000 caractères au plus pour la présentation, 5 000 par rubrique.",
        Video = "page-video" => "Le lien de la vidéo doit être une adresse https:// (YouTube, Vimeo, Dailymotion, PeerTube ou le site de la collectivité).",
        Referent = "page-referent" => "Le référent doit être un membre de l'organisation.",
        ReferentRole = "page-referent-role" => "Le rôle du référent compte au plus 120 caractères.",
        NotCollectivite = "page-collectivite" => "Seule une collectivité (commune, intercommunalité, département) a une page de territoire à présenter.",
        Unverified = "page-non-verifiee" => "Votre collectivité doit être vérifiée par la modération avant de publier sa page ; vous pouvez la préparer et la prévisualiser.",
        Revision = "page-version" => "Cette version n'existe pas, ou elle n'est pas celle de votre page.",
        OrganisationClosed = "page-organisation-fermee" => "Cette collectivité a fermé son espace sur le portail : sa page ne se modifie ni ne se publie plus.",
        NotFound = "page-introuvable" => "Cette page n'existe pas, ou vous n'êtes pas membre de la collectivité.",
        PhotoMissing = "photo-absente" => "Choisissez une photo (JPEG, PNG ou WebP).",
        PhotoTooLarge = "photo-trop-lourde" => "La photo dépasse 8 Mo : choisissez-en une plus légère.",
        PhotoType = "photo-type" => "Ce fichier n'est pas une photo lisible : envoyez une image JPEG, PNG ou WebP.",
        PhotoDimensions = "photo-dimensions" => "La photo est trop petite (400 pixels de large au moins) ou trop grande (10 000 pixels au plus par côté).",
        PhotoAlt = "photo-alt" => "Décrivez la photo en quelques mots (texte alternatif, 3 à 250 caractères) : il est lu aux personnes qui ne la voient pas.",
        PhotoCredit = "photo-credit" => "Le crédit de la photo compte au plus 120 caractères.",
        TooManyPhotos = "photos-trop" => "Une page garde 24 photos au plus : retirez-en une avant d'en ajouter.",
        PhotoNotFound = "photo-introuvable" => "Cette photo n'existe pas, ou elle n'est pas sur votre page.",
        TestimonialName = "temoin-nom" => "Indiquez le nom de l'ambassadeur ou de l'ambassadrice (2 à 80 caractères).",
        TestimonialRole = "temoin-role" => "Indiquez son rôle (2 à 120 caractères), par exemple « médecin généraliste installée en 2024 ».",
        TestimonialQuote = "temoin-citation" => "Le témoignage doit compter entre 20 et 2 000 caractères.",
        TestimonialConsent = "temoin-accord" => "Cochez la case qui atteste l'accord écrit de la personne : sans lui, son nom, sa photo et ses mots ne sont pas publiés.",
        TestimonialNotFound = "temoin-introuvable" => "Ce témoignage n'existe pas, ou il n'est pas sur votre page.",
        NoReferent = "guichet-sans-referent" => "Cette collectivité n'a pas encore de page publiée avec un référent à contacter.",
        Subject = "guichet-objet" => "L'objet de votre demande doit compter entre 5 et 150 caractères.",
        Message = "guichet-message" => "Le message doit compter entre 10 et 5 000 caractères.",
        CaseNotFound = "dossier-introuvable" => "Ce dossier n'existe pas, ou il ne vous concerne pas.",
        CaseStatus = "dossier-statut" => "Choisissez le statut du dossier : nouveau, en cours ou clos.",
        CaseClosed = "dossier-clos" => "Ce dossier est clos : ouvrez une nouvelle demande depuis la page du territoire.",
        TooManyCases = "guichet-trop" => "Vous avez ouvert beaucoup de demandes ces dernières 24 heures : réessayez demain.",
        TooManyMessages = "dossier-messages-trop" => "Vous avez envoyé 20 messages dans l'heure : attendez un peu avant d'en envoyer d'autres.",
    }
}

field_problem!(PromotionProblem);

impl PromotionProblem {
    /// The territory page editor's field it concerns (texts and referent, photos,
    /// testimonials); None for the rest, the guichet's and cases' included.
    pub fn field(self) -> Option<&'static str> {
        use PromotionProblem as P;
        Some(match self {
            P::Video => "video",
            P::Referent => "referent",
            P::ReferentRole => "role_referent",
            // A photo's size, type and description may be a testimonial's portrait's too: those
            // are said at the top only.
            P::PhotoMissing => "photo",
            P::PhotoCredit => "credit",
            P::TestimonialName => "temoin-nom",
            P::TestimonialRole => "temoin-role",
            P::TestimonialQuote => "temoin-texte",
            _ => return None,
        })
    }
}

codes! {
    PromotionNotice {
        Saved = "page-enregistree" => "La version est enregistrée. Vérifiez l'aperçu, puis publiez-la.",
        Published = "page-publiee" => "La page est publiée : elle apparaît sur la page du territoire.",
        Restored = "page-restauree" => "L'ancienne version est restaurée et publiée.",
        PhotoAdded = "photo-ajoutee" => "La photo est ajoutée à la page.",
        PhotoRemoved = "photo-retiree" => "La photo est retirée.",
        TestimonialAdded = "temoin-ajoute" => "Le témoignage est ajouté à la page.",
        TestimonialRemoved = "temoin-retire" => "Le témoignage est retiré.",
        CaseOpened = "dossier-ouvert" => "Votre demande est envoyée au référent : il vous répond ici, et vous êtes prévenu par e-mail.",
        MessageSent = "dossier-message" => "Le message est envoyé.",
        StatusChanged = "dossier-statut-change" => "Le statut du dossier est modifié.",
    }
}
