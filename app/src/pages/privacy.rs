use crate::domain::accounts::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// What the portal stores about people, why, for how long, and their rights (RGPD).
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <Title text="Confidentialité et données personnelles — Médecins & Territoires"/>
        <Meta name="description" content="Quelles données Médecins & Territoires conserve, pourquoi, combien de temps, et comment les télécharger ou les effacer."/>
        <h1>"Confidentialité et données personnelles"</h1>
        <p class="lead">
            "Tout ce qui est public sur le portail (territoires, cartes, offres, aides) se consulte sans compte. "
            "Nous ne conservons des données personnelles que pour les personnes qui créent un compte, et seulement "
            "ce qui sert au portail."
        </p>
        <h2>"Ce que nous conservons et pourquoi"</h2>
        <table class="data">
            <caption>"Données conservées pour chaque compte"</caption>
            <thead>
                <tr><th scope="col">"Donnée"</th><th scope="col">"Pourquoi"</th><th scope="col">"Combien de temps"</th></tr>
            </thead>
            <tbody>
                <tr>
                    <th scope="row">"Adresse e-mail, nom affiché, dates de création et de confirmation"</th>
                    <td>"Vous connecter, vous écrire au sujet de votre compte."</td>
                    <td>"Jusqu'à la suppression du compte."</td>
                </tr>
                <tr>
                    <th scope="row">"Mot de passe"</th>
                    <td>"Vérifier que c'est bien vous. Nous n'en gardons qu'une empreinte argon2id : personne, nous compris, ne peut le relire."</td>
                    <td>"Jusqu'à son changement ou la suppression du compte."</td>
                </tr>
                <tr>
                    <th scope="row">"Profil : situation (interne, remplaçant…), faculté, année d'internat, spécialité, thèse, numéro RPPS"</th>
                    <td>"Dire aux recruteurs qui vous êtes et vous montrer les offres et les aides qui vous concernent. Le numéro RPPS est vérifié (clé de contrôle) et ne peut servir qu'à un seul compte."</td>
                    <td>"Jusqu'à sa modification ou la suppression du compte."</td>
                </tr>
                <tr>
                    <th scope="row">"Ce que vous recherchez : spécialité, types d'offres, disponibilités, lieux, préférences et besoins (logement, emploi du conjoint, garde d'enfants)"</th>
                    <td>"Vous dire pourquoi chaque offre vous correspond ou non, et trier les offres. Si vous cochez « visible », les recruteurs des organisations vérifiées voient votre nom, votre profil, votre adresse e-mail et ces souhaits, classés pour leurs offres ; sinon personne ne les voit."</td>
                    <td>"Jusqu'à leur modification ou la suppression du compte."</td>
                </tr>
                <tr>
                    <th scope="row">"Candidatures : le message, le CV (PDF), les échanges avec l'organisation et l'historique de la candidature"</th>
                    <td>"Transmettre votre candidature à l'organisation qui publie l'offre, et elle seule : ses membres voient votre nom, votre adresse, votre message et votre CV."</td>
                    <td>"Jusqu'à la suppression du compte ; vos messages dans les candidatures reçues par votre organisation restent, signés « compte supprimé »."</td>
                </tr>
                <tr>
                    <th scope="row">"Alertes : les filtres de recherche d'offres et leur fréquence, les offres déjà annoncées"</th>
                    <td>"Vous écrire quand une nouvelle offre correspond, une seule fois par offre. Chaque e-mail a un lien de désabonnement en un clic."</td>
                    <td>"Jusqu'à la suppression de l'alerte ou du compte."</td>
                </tr>
                <tr>
                    <th scope="row">"Sessions de connexion"</th>
                    <td>"Vous garder connecté(e). Nous gardons la date d'ouverture et d'expiration, et une empreinte du jeton du cookie."</td>
                    <td>"30 jours, ou jusqu'à la déconnexion."</td>
                </tr>
                <tr>
                    <th scope="row">"Liens envoyés par e-mail (confirmation d'adresse, nouveau mot de passe, changement d'adresse)"</th>
                    <td>"Vérifier que le lien ouvert est bien celui envoyé. Nous n'en gardons qu'une empreinte."</td>
                    <td>"Valables 48 heures (une heure pour un nouveau mot de passe), conservés avec le compte."</td>
                </tr>
                <tr>
                    <th scope="row">"Échecs de connexion (adresse saisie, date)"</th>
                    <td>"Bloquer pendant 15 minutes qui essaierait de deviner un mot de passe."</td>
                    <td>"15 minutes, puis effacés à la tentative suivante."</td>
                </tr>
                <tr>
                    <th scope="row">"Organisations : celles dont vous êtes membre (rôle, date d'arrivée), celles que vous avez créées, les invitations envoyées et reçues (adresse invitée, rôle, dates)"</th>
                    <td>"Dire qui agit au nom d'une commune, d'une structure de santé ou d'une institution, et permettre d'inviter des collègues. Les membres d'une organisation voient votre nom ; ses propriétaires et les modérateurs, aussi votre adresse."</td>
                    <td>"Jusqu'à votre départ de l'organisation ou la suppression du compte ; les invitations adressées à votre adresse sont effacées avec votre compte (un lien d'invitation ne fonctionne que 7 jours)."</td>
                </tr>
                <tr>
                    <th scope="row">"Journal de modération : qui a vérifié ou refusé une organisation, ou l'a corrigée et soumise de nouveau, quand et pourquoi"</th>
                    <td>"Garder la trace des décisions de modération, pour les contrôler."</td>
                    <td>"Conservé sans limite de durée. À la suppression de votre compte, votre nom et votre adresse en sont retirés : l'action reste, attribuée à « compte supprimé »."</td>
                </tr>
                <tr>
                    <th scope="row">"Courriels envoyés (destinataire, objet, texte)"</th>
                    <td>"Les envoyer même si le serveur de messagerie est momentanément indisponible, sans en perdre."</td>
                    <td>"Jusqu'à la suppression du compte."</td>
                </tr>
            </tbody>
        </table>
        <h2>"Cookies"</h2>
        <p>
            "Deux cookies, tous deux nécessaires au fonctionnement et donc sans consentement à recueillir : "
            "« session » (votre connexion, 30 jours) et « csrf » (protège vos formulaires contre les sites malveillants, "
            "le temps de la visite). Aucun cookie de mesure d'audience, de publicité ou de tiers."
        </p>
        <h2>"Vos droits"</h2>
        <ul>
            <li>"Accès et portabilité : " <a href=paths::MY_DATA>"téléchargez vos données"</a> " depuis " <a href=paths::ACCOUNT>"votre compte"</a> " (fichier JSON)."</li>
            <li>"Rectification : modifiez votre profil et votre adresse e-mail depuis votre compte."</li>
            <li>
                "Effacement : supprimez votre compte depuis votre compte ; c'est immédiat et définitif. Si vous êtes le seul "
                "propriétaire d'une organisation qui compte d'autres membres, nommez d'abord un autre propriétaire ; une "
                "organisation dont vous étiez le seul membre reste inscrite, sans membre."
            </li>
            <li>"Réclamation : vous pouvez saisir la CNIL (cnil.fr)."</li>
        </ul>
        <p class="muted">
            "Le responsable du traitement est l'organisme qui exploite cette instance du portail. "
            "Médecins & Territoires est un logiciel libre : son code montre exactement ce qui est conservé."
        </p>
    }
}
