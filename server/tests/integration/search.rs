use crate::helpers::*;

#[tokio::test]
async fn the_search_page_finds_communes_by_name_postal_code_and_abbreviation() {
    let app = spawn_app().await;
    for (query, expected) in [
        ("rodez", "/communes/12202-rodez"),
        ("RODEZ", "/communes/12202-rodez"),
        ("12000", "/communes/12202-rodez"),
        ("beziers", "/communes/34032-beziers"),
        ("st affrique", "/communes/12208-saint-affrique"),
        ("affrique", "/communes/12208-saint-affrique"),
    ] {
        let (status, html) = app.page(&format!("/recherche?q={}", query.replace(' ', "+"))).await;
        assert_eq!(status, 200, "{query}");
        assert!(html.contains(&format!("href=\"{expected}\"")), "{query} should find {expected}");
    }
}

#[tokio::test]
async fn hostile_or_empty_queries_are_answered_calmly() {
    let app = spawn_app().await;
    for query in ["%25", "%27%22%3Cscript%3E", "_", "%00", "", "x"] {
        let (status, html) = app.page(&format!("/recherche?q={query}")).await;
        assert_eq!(status, 200, "{query}");
        assert!(!html.contains("<script>"), "{query}");
    }
    let (_, html) = app.page("/recherche?q=zzzzzz").await;
    assert!(html.contains("Aucune commune ne correspond"));
}

#[tokio::test]
async fn the_suggestion_server_function_answers_json() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/_srv/recherche-communes", app.address))
        .form(&[("query", "rod"), ("limit", "8")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let hits: serde_json::Value = response.json().await.unwrap();
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 8);
    assert_eq!(hits[0]["link"]["path"], "/communes/12202-rodez");
}
