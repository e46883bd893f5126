use crate::helpers::*;

#[tokio::test]
async fn the_commune_page_is_rendered_on_the_server_with_its_figures_and_sources() {
    let app = spawn_app().await;
    let (status, html) = app.page("/communes/12202-rodez").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Rodez</h1>"));
    assert!(html.contains(&fr("23 981")), "population");
    assert!(
        html.contains("Zone d&#x27;action complémentaire (ZAC)") || html.contains("Zone d'action complémentaire (ZAC)"),
        "zoning"
    );
    assert!(html.contains("4,27") && html.contains("3,81 en 2022"), "APL 2023 and its trend");
    for source in ["INSEE", "DREES", "ARS Occitanie", "FINESS"] {
        assert!(
            html.contains(&format!("Source : <!---->{source}")) || html.contains(&format!("Source : {source}")),
            "{source}"
        );
    }
    // Links up the hierarchy.
    for link in ["/departements/12-aveyron", "/regions/76-occitanie", "/epci/241200187-ca-rodez-agglomeration"] {
        assert!(html.contains(&format!("href=\"{link}\"")), "{link}");
    }
    // A health structure of the commune, and one nearby with its distance.
    assert!(html.contains("MSP FAUBOURG - 4 SAISONS - RODEZ"));
    assert!(html.contains("À moins de <!---->15<!----> km") || html.contains("À moins de 15 km"));
    assert!(html.contains(" km</span>") || html.contains(" km<!---->"));
}

#[tokio::test]
async fn territory_pages_carry_seo_metadata() {
    let app = spawn_app().await;
    let (_, html) = app.page("/communes/12202-rodez").await;
    let canonical = "https://medecins-territoires.example/communes/12202-rodez";
    assert!(
        html.contains(&format!("<link href=\"{canonical}\" rel=\"canonical\">"))
            || html.contains(&format!("rel=\"canonical\" href=\"{canonical}\""))
    );
    assert!(html.contains("<title>Médecin à Rodez (Aveyron)"));
    assert!(html.contains("<meta name=\"description\" content=\"Rodez (12000, Aveyron)"));
    assert!(html.contains(&format!("<meta property=\"og:url\" content=\"{canonical}\">")));
    assert!(html.contains("<meta property=\"og:title\""));
    assert!(
        html.contains("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"City\"")
    );
    // Pages that name their address by its path get an absolute canonical link too: search
    // engines ignore a relative one.
    for path in ["/carte", "/aides", "/evenements", "/recherche"] {
        let (_, html) = app.page(path).await;
        let canonical = format!("https://medecins-territoires.example{path}");
        assert!(
            html.contains(&format!("<link href=\"{canonical}\" rel=\"canonical\">"))
                || html.contains(&format!("rel=\"canonical\" href=\"{canonical}\"")),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_wrong_or_missing_slug_redirects_permanently_to_the_canonical_address() {
    let app = spawn_app().await;
    for (asked, canonical) in [
        ("/communes/12202-rodes", "/communes/12202-rodez"),
        ("/communes/12202", "/communes/12202-rodez"),
        ("/departements/12-aveiron", "/departements/12-aveyron"),
        ("/epci/241200187-rodez", "/epci/241200187-ca-rodez-agglomeration"),
        ("/regions/76", "/regions/76-occitanie"),
    ] {
        let response = app.get(asked).await;
        assert_eq!(response.status().as_u16(), 301, "{asked}");
        assert_eq!(response.headers()["location"], canonical, "{asked}");
    }
}

#[tokio::test]
async fn unknown_or_malformed_codes_answer_a_real_404_page() {
    let app = spawn_app().await;
    for path in [
        "/communes/99999-nulle-part",
        "/communes/abc",
        "/communes/12202x-rodez",
        "/communes/%00%ff",
        "/departements/99-x",
        "/departements/2C-x",
        "/epci/123-x",
        "/epci/999999999-x",
        "/regions/11-ile-de-france",
        "/une/page/qui/n-existe/pas",
    ] {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page introuvable"), "{path}");
    }
}

#[tokio::test]
async fn departement_epci_and_region_pages_link_down_the_hierarchy() {
    let app = spawn_app().await;

    let (status, html) = app.page("/departements/12-aveyron").await;
    assert_eq!(status, 200);
    assert!(html.contains("Aveyron"));
    assert!(html.contains("href=\"/epci/241200187-ca-rodez-agglomeration\""));
    assert!(html.contains("href=\"/communes/12202-rodez\""));
    assert!(html.contains("href=\"/regions/76-occitanie\""));

    let (status, html) = app.page("/epci/241200187-ca-rodez-agglomeration").await;
    assert_eq!(status, 200);
    assert!(html.contains("Communauté d&#x27;agglomération") || html.contains("Communauté d'agglomération"));
    assert!(html.contains("href=\"/communes/12202-rodez\""));
    assert!(html.contains("href=\"/departements/12-aveyron\""));

    let (status, html) = app.page("/regions/76-occitanie").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("href=\"/departements/").count(), 13);
}

#[tokio::test]
async fn the_home_page_shows_regional_figures_and_the_search_form() {
    let app = spawn_app().await;
    let (status, html) = app.page("/").await;
    assert_eq!(status, 200);
    // Population of the region (INSEE) and regional APL 2023 weighted by standardised
    // population: the data README gives 3.92.
    assert!(html.contains(&fr("6 124 653")), "regional population in {html}");
    assert!(html.contains("3,92"), "regional APL");
    assert!(html.contains("action=\"/recherche\""));
    assert!(html.contains("name=\"q\""));
}

#[tokio::test]
async fn operations_and_indexing_endpoints() {
    let app = spawn_app().await;
    let (status, body) = app.page("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok\n"));

    let (status, robots) = app.page("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Sitemap: https://medecins-territoires.example/sitemap.xml"));

    let (status, sitemap) = app.page("/sitemap.xml").await;
    assert_eq!(status, 200);
    // Home, map, board, aids, events, API, privacy, the guichets uniques, then the region,
    // départements, EPCI and communes, each with its outcomes page.
    assert_eq!(sitemap.matches("<url>").count(), 8 + 2 * (1 + 13 + 164 + 4446));
    assert!(sitemap.contains("<loc>https://medecins-territoires.example/offres</loc>"));
    assert!(sitemap.contains("<loc>https://medecins-territoires.example/api</loc>"));
    assert!(sitemap.contains("<loc>https://medecins-territoires.example/departements/12-aveyron/bilan</loc>"));
    assert!(sitemap.contains("<loc>https://medecins-territoires.example/aides</loc>"));
    assert!(sitemap.contains("<loc>https://medecins-territoires.example/carte</loc>"));
    assert!(sitemap.contains("<loc>https://medecins-territoires.example/communes/12202-rodez</loc>"));
    assert!(sitemap.contains("<loc>https://medecins-territoires.example/epci/241200187-ca-rodez-agglomeration</loc>"));
}

#[tokio::test]
async fn a_first_start_on_an_empty_database_serves_without_error() {
    // Before any import: pages answer 404 or an empty home, never a 500.
    let app = spawn_app_on(empty_db().await).await;
    assert_eq!(app.page("/healthz").await.0, 200);
    assert_eq!(app.page("/communes/12202-rodez").await.0, 404);
    let (status, _) = app.page("/").await;
    assert_ne!(status, 500);
    assert_eq!(counts(&app.db).await.iter().map(|(_, n)| n).sum::<i64>(), 0);
}

#[tokio::test]
async fn responses_are_compressed_for_clients_that_ask() {
    let app = spawn_app().await;
    for path in ["/communes/12202-rodez", "/sitemap.xml"] {
        let response =
            app.client.get(format!("{}{path}", app.address)).header("accept-encoding", "br").send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(response.headers()["content-encoding"], "br", "{path}");
    }
    // Without Accept-Encoding, the body is plain HTML.
    let response = app.get("/communes/12202-rodez").await;
    assert!(response.headers().get("content-encoding").is_none());
}
