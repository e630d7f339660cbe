//! Forms without JavaScript, through the real router on both backends: a refused submit comes
//! back with the typed values and a message per field (a session flash, never in the URL), and
//! saves nothing; a valid one is saved and redirects to the workload.

use crate::http::{body, first_workload_link, seeded};
use crate::http_accounts::lead;
use crate::on_both_backends;
use crate::support::TestDb;
use app::domain::listing::WorkloadQuery;

/// Posts a form the way a browser without JavaScript does.
pub async fn post_form(
    c: &reqwest::Client,
    base: &str,
    endpoint: &str,
    page: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    c.post(format!("{base}/api/{endpoint}"))
        .header("accept", "text/html")
        .header("referer", format!("{base}{page}"))
        .header("origin", base)
        .form(fields)
        .send()
        .await
        .expect("post")
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Reads the first `<option value=…>` of a select in a page.
fn first_option(html: &str, select_name: &str) -> String {
    let at = html
        .find(&format!("name=\"{select_name}\""))
        .expect("select");
    let rest = &html[at..];
    let opt = rest.find("<option value=\"").expect("option");
    let rest = &rest[opt + 15..];
    let value = &rest[..rest.find('"').expect("end")];
    if value.is_empty() {
        let next = rest.find("<option value=\"").expect("second option");
        let rest = &rest[next + 15..];
        rest[..rest.find('"').expect("end")].to_string()
    } else {
        value.to_string()
    }
}

async fn total(s: &crate::http::Running) -> u64 {
    s.store
        .list_workloads(
            &WorkloadQuery::default(),
            &app::domain::policy::Reach::Organization,
        )
        .await
        .expect("list")
        .total
}

async fn a_refused_form_comes_back_with_what_was_typed(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    let res = post_form(
        &c,
        &s.base,
        "create_workload",
        "/workloads/new",
        &[
            ("form[name]", "   "),
            (
                "form[description]",
                "<script>alert(1)</script> keeps <b>this</b>",
            ),
            ("form[team_id]", "no-such-team"),
            ("form[ai_type]", "quantum"),
            ("form[model_digest]", "md5:1"),
        ],
    )
    .await;
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(
        location(&res),
        "/workloads/new",
        "typed values never travel in the URL"
    );
    let page = body(&c, format!("{}/workloads/new", s.base)).await;
    assert!(page.contains("Nothing was saved"));
    assert!(page.contains("Enter a name."), "the name error is shown");
    assert!(
        page.contains("(“quantum” is not one)"),
        "the attribute error names the value"
    );
    assert!(
        page.contains("Write the digest as sha256:"),
        "the digest error is shown"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt; keeps &lt;b&gt;this&lt;/b&gt;"),
        "typed HTML is kept, as text"
    );
    assert!(!page.contains("<script>alert(1)"));
    let again = body(&c, format!("{}/workloads/new", s.base)).await;
    assert!(
        !again.contains("Nothing was saved"),
        "the flash is shown once"
    );
    assert_eq!(total(&s).await, 30, "nothing was saved");
}

async fn create_edit_and_promote_without_javascript(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    let form_page = body(&c, format!("{}/workloads/new", s.base)).await;
    let team = first_option(&form_page, "form[team_id]");
    let owner = first_option(&form_page, "form[primary_owner]");
    let mut fields = vec![
        ("form[name]", "Claims triage <beta>"),
        ("form[description]", "Sorts insurance claims."),
        ("form[team_id]", team.as_str()),
        ("form[primary_owner]", owner.as_str()),
        ("form[other_owners]", "grace.liu@example.test"),
        ("form[model_source]", "pretrained_api"),
        ("form[hosting]", "provider_managed"),
        ("form[ai_type]", "predictive"),
        ("form[data_connectivity]", "none"),
        ("form[autonomy_level]", "0"),
        ("form[persistent_memory]", "false"),
        ("form[user_exposure]", "internal"),
        ("form[processes_personal_data]", "true"),
        ("form[data_sensitivity]", "confidential"),
        ("form[decision_impact]", "assistive"),
        ("form[eu_ai_act_class]", "minimal"),
        ("form[eu_role]", "deployer"),
        ("form[multi_tenant]", "false"),
        ("form[tags]", "claims"),
    ];
    let res = post_form(&c, &s.base, "create_workload", "/workloads/new", &fields).await;
    assert_eq!(res.status().as_u16(), 302);
    let page_url = location(&res);
    assert!(page_url.starts_with("/workloads/0"), "{page_url}");
    let page = body(&c, format!("{}{page_url}", s.base)).await;
    assert!(
        page.contains("Claims triage &lt;beta&gt;"),
        "HTML in a name is shown as text"
    );
    assert!(page.contains("grace.liu@example.test"));
    assert_eq!(total(&s).await, 31);

    // The same name again in the same team is refused on the name field.
    let res = post_form(&c, &s.base, "create_workload", "/workloads/new", &fields).await;
    assert_eq!(location(&res), "/workloads/new");
    let again = body(&c, format!("{}/workloads/new", s.base)).await;
    assert!(again.contains("This team already has a workload with this name."));
    assert_eq!(total(&s).await, 31);

    // Edit from revision 1, then a second edit from the same (now stale) revision is refused.
    let id = page_url.trim_start_matches("/workloads/").to_string();
    let edit = format!("/workloads/{id}/edit");
    fields.retain(|(k, _)| *k != "form[name]");
    fields.push(("form[name]", "Claims triage"));
    fields.push(("form[revision]", "1"));
    fields.push(("id", id.as_str()));
    let res = post_form(&c, &s.base, "update_workload", &edit, &fields).await;
    assert_eq!(location(&res), page_url);
    // The form opens again on the saved version: its name, other owners by email, revision.
    let form = body(&c, format!("{}{edit}", s.base)).await;
    assert!(form.contains("Edit Claims triage</h1>"), "{form}");
    assert!(form.contains(r#"value="grace.liu@example.test""#));
    assert!(form.contains(r#"name="form[revision]" value="2""#));
    let res = post_form(&c, &s.base, "update_workload", &edit, &fields).await;
    assert_eq!(location(&res), edit);
    let refused = body(&c, format!("{}{edit}", s.base)).await;
    assert!(refused.contains("Someone else saved this workload"));
    let w = s
        .store
        .get_workload(&app::domain::WorkloadId(id.clone()))
        .await
        .expect("get")
        .expect("exists");
    assert_eq!((w.revision, w.draft.name.as_str()), (2, "Claims triage"));

    // Promote with the current revision; a stale promote changes nothing.
    let promote = [
        ("id", id.as_str()),
        ("revision", "2"),
        ("direction", "promote"),
    ];
    let res = post_form(&c, &s.base, "change_phase", &page_url, &promote).await;
    assert_eq!(location(&res), page_url);
    let res = post_form(&c, &s.base, "change_phase", &page_url, &promote).await;
    assert_eq!(location(&res), page_url);
    let page = body(&c, format!("{}{page_url}", s.base)).await;
    assert!(page.contains("The workload changed since this page was opened"));
    assert!(page.contains("Promoted to Production"));
    let w = s
        .store
        .get_workload(&app::domain::WorkloadId(id))
        .await
        .expect("get")
        .expect("exists");
    assert_eq!((w.revision, w.phase.code()), (3, "production"));
}

async fn bad_ids_in_forms_are_answered_not_crashed(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    let res = post_form(
        &c,
        &s.base,
        "change_phase",
        "/workloads/x",
        &[("id", "x"), ("revision", "1"), ("direction", "promote")],
    )
    .await;
    assert_eq!(res.status().as_u16(), 404);
    let list = body(&c, format!("{}/workloads", s.base)).await;
    let link = first_workload_link(&list);
    let id = link.trim_start_matches("/workloads/");
    let res = post_form(
        &c,
        &s.base,
        "change_phase",
        &link,
        &[("id", id), ("revision", "1"), ("direction", "sideways")],
    )
    .await;
    assert_eq!(res.status().as_u16(), 422);
    let res = post_form(
        &c,
        &s.base,
        "change_phase",
        &link,
        &[("id", id), ("revision", "not-a-number")],
    )
    .await;
    assert!(!res.status().is_server_error(), "{}", res.status());
    let res = post_form(
        &c,
        &s.base,
        "update_workload",
        "/workloads/x/edit",
        &[("id", "x"), ("form[name]", "y")],
    )
    .await;
    assert_eq!(res.status().as_u16(), 404);
    assert_eq!(total(&s).await, 30);
}

/// NUL and other control characters: the text fields refuse them with a field message, and
/// ids and parameters holding them name nothing (PostgreSQL cannot even compare such text).
async fn control_characters_are_refused_not_failed(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    let list = body(&c, format!("{}/workloads", s.base)).await;
    let link = first_workload_link(&list);
    let new_page = body(&c, format!("{}/workloads/new", s.base)).await;
    let team = first_option(&new_page, "form[team_id]");
    let owner = first_option(&new_page, "form[primary_owner]");
    let res = post_form(
        &c,
        &s.base,
        "create_workload",
        "/workloads/new",
        &[
            ("form[name]", "Null\0bot"),
            ("form[description]", "two\r\n\tlines, then a NUL\0"),
            ("form[team_id]", &team),
            ("form[primary_owner]", &owner),
            ("form[model_name]", "gpt\u{1b}[31m"),
        ],
    )
    .await;
    assert_eq!(res.status().as_u16(), 302);
    let page = body(&c, format!("{}/workloads/new", s.base)).await;
    let told = format!(
        "class=\"field-error\">{}",
        app::domain::text::CONTROL_MESSAGE
    );
    for field in ["name", "description", "model_name"] {
        assert!(
            page.contains(&format!("id=\"field-{field}-error\" {told}")),
            "{field} is told"
        );
    }
    assert_eq!(page.matches(&told).count(), 3, "and no other field");
    assert_eq!(total(&s).await, 30, "nothing was saved");
    for (path, expected) in [
        ("/workloads/%00".to_string(), 404),
        (format!("{link}%00"), 404),
        (format!("{link}%00/edit"), 404),
        (
            format!("/charts/workloads/{}%00/required-by-layer.svg", &link[11..]),
            404,
        ),
        ("/workloads?team=%00".to_string(), 400),
        ("/workloads?q=%00".to_string(), 400),
    ] {
        let res = c
            .get(format!("{}{path}", s.base))
            .send()
            .await
            .expect("get");
        assert_eq!(res.status().as_u16(), expected, "{path}");
    }
    for (endpoint, body) in [
        ("get_workload", r#"{"id":"\u0000"}"#),
        ("get_edit_form", r#"{"id":"x\u0000"}"#),
        (
            "list_workloads",
            r#"{"query":{"search":"\u0000","team":null,"phase":null,"gap_layer":null,"sort":"Name","descending":false,"page":1,"per_page":10}}"#,
        ),
        ("take_flash", r#"{"key":"\u0000"}"#),
    ] {
        let res = c
            .post(format!("{}/api/{endpoint}", s.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("post");
        let status = res.status().as_u16();
        assert!(status < 500, "{endpoint}: {status}");
        if endpoint.starts_with("get_") || endpoint == "list_workloads" {
            assert!(matches!(status, 400 | 404), "{endpoint}: {status}");
        }
    }
}

/// A long history is shown a page at a time (20 versions, newest first), each edit naming the
/// fields it changed, also across the page boundary.
async fn history_is_paginated(t: &TestDb) {
    let s = seeded(t).await;
    let c = lead(&s).await;
    let list = body(&c, format!("{}/workloads", s.base)).await;
    let link = first_workload_link(&list);
    let id = app::domain::WorkloadId(link.trim_start_matches("/workloads/").to_string());
    let mut current = s
        .store
        .get_workload(&id)
        .await
        .expect("read")
        .expect("there");
    let start = current.revision;
    for i in 0..(45 - start) {
        let mut draft = current.draft.clone();
        draft.tags = vec![format!("edit-{i}")];
        current = s
            .store
            .update_workload(
                &id,
                current.revision,
                &draft,
                &crate::support::by("history test"),
            )
            .await
            .expect("edit");
    }
    assert_eq!(current.revision, 45);
    let revisions = |page: &str| -> Vec<i64> {
        let table = &page[page.find("data-testid=\"history\"").expect("history")..];
        let table = &table[..table.find("</table>").expect("end")];
        table
            .split("<tr><td>")
            .skip(1)
            .filter_map(|row| row.split('<').next()?.parse().ok())
            .collect()
    };
    let first = body(&c, format!("{}{link}", s.base)).await;
    assert_eq!(revisions(&first), (26..=45).rev().collect::<Vec<_>>());
    assert!(first.contains("Page 1 of 3"), "the pages are counted");
    assert!(first.contains(&format!("href=\"{link}?history=2#history\"")));
    assert!(first.contains("Edited: tags"));
    let last = body(&c, format!("{}{link}?history=3", s.base)).await;
    assert_eq!(revisions(&last), (1..=5).rev().collect::<Vec<_>>());
    assert!(
        last.contains(&format!("href=\"{link}?history=2#history\"")),
        "back to newer"
    );
    let second = body(&c, format!("{}{link}?history=2", s.base)).await;
    let rows = revisions(&second);
    assert_eq!(rows, (6..=25).rev().collect::<Vec<_>>());
    // Revision 6 is compared with 5, which is on the next page.
    let row6 = &second[second.find("<tr><td>6<").expect("row 6")..];
    assert!(
        row6[..200].contains("Edited: tags"),
        "compared with the version before: {}",
        &row6[..200]
    );
    for odd in ["history=99", "history=0", "history=abc", "history=-1"] {
        let page = body(&c, format!("{}{link}?{odd}", s.base)).await;
        assert!(!revisions(&page).is_empty(), "{odd} still shows history");
    }
}

on_both_backends!(
    a_refused_form_comes_back_with_what_was_typed,
    control_characters_are_refused_not_failed,
    history_is_paginated,
    create_edit_and_promote_without_javascript,
    bad_ids_in_forms_are_answered_not_crashed,
);
