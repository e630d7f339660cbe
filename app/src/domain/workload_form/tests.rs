use super::*;

fn valid() -> WorkloadForm {
    WorkloadForm {
        name: "Support chatbot".into(),
        team_id: "t1".into(),
        primary_owner: "u1".into(),
        ..WorkloadForm::blank()
    }
}

fn errors(f: &WorkloadForm) -> FieldErrors {
    f.check().expect_err("form should be refused")
}

#[test]
fn a_valid_form_passes_with_trimmed_values() {
    let mut f = valid();
    f.name = "  Support chatbot ".into();
    f.tags = "GenAI, support, genai".into();
    f.other_owners = "Ana@Example.test".into();
    let c = f.check().expect("valid");
    assert_eq!(c.name, "Support chatbot");
    assert_eq!(c.tags, vec!["genai", "support"]);
    assert_eq!(c.other_owner_emails, vec!["ana@example.test"]);
    assert_eq!(c.attributes, Attributes::default());
    assert_eq!(c.revision, None);
}

#[test]
fn empty_and_overlong_names_are_refused_on_the_name_field() {
    let mut f = valid();
    f.name = "   ".into();
    assert_eq!(errors(&f).get("name"), Some("Enter a name."));
    f.name = "x".repeat(NAME_MAX + 1);
    assert!(errors(&f).get("name").unwrap_or("").contains("120"));
    f.name = "x".repeat(NAME_MAX);
    assert!(f.check().is_ok());
}

#[test]
fn overlong_description_is_refused() {
    let mut f = valid();
    f.description = "d".repeat(DESCRIPTION_MAX + 1);
    assert!(errors(&f).get("description").is_some());
}

#[test]
fn an_unknown_attribute_value_names_its_field() {
    let mut f = valid();
    f.set_attribute("ai_type", "quantum");
    f.set_attribute("autonomy_level", "7");
    let e = errors(&f);
    assert!(e.get("ai_type").unwrap_or("").contains("quantum"));
    assert!(e.get("autonomy_level").is_some());
}

#[test]
fn a_bought_app_cannot_be_self_hosted() {
    let mut f = valid();
    f.set_attribute("model_source", "enterprise_app");
    f.set_attribute("hosting", "self_hosted");
    assert!(errors(&f).get("hosting").is_some());
    f.set_attribute("model_source", "open_weights");
    assert!(f.check().is_ok());
}

#[test]
fn digests_versions_and_names_of_references_are_checked() {
    let mut f = valid();
    f.model_version = "1.2".into();
    assert!(errors(&f).get("model_name").is_some());
    f.model_name = "llama".into();
    f.model_digest = "md5:abc".into();
    assert!(errors(&f).get("model_digest").is_some());
    f.model_digest = format!("sha256:{}", "A".repeat(64));
    let c = f.check().expect("valid digest");
    assert_eq!(c.model_refs[0].digest, format!("sha256:{}", "a".repeat(64)));
}

#[test]
fn tags_and_owner_emails_are_checked() {
    let mut f = valid();
    f.tags = "ok, <script>".into();
    assert!(errors(&f).get("tags").is_some());
    f.tags = String::new();
    f.other_owners = "ana@example.test, not-an-email".into();
    assert!(errors(&f)
        .get("other_owners")
        .unwrap_or("")
        .contains("not-an-email"));
}

#[test]
fn missing_team_owner_and_damaged_revision_are_reported_together() {
    let mut f = valid();
    f.team_id.clear();
    f.primary_owner.clear();
    f.revision = "abc".into();
    let e = errors(&f);
    assert!(e.get("team_id").is_some() && e.get("primary_owner").is_some());
    assert!(e.get("revision").is_some());
}

#[test]
fn html_is_kept_as_typed_text() {
    let mut f = valid();
    f.name = "<b>bold</b> bot".into();
    assert_eq!(
        f.check().map(|c| c.name).ok().as_deref(),
        Some("<b>bold</b> bot")
    );
}

#[test]
fn every_attribute_has_a_named_field() {
    let names: Vec<&str> = ATTRIBUTE_FIELDS.iter().map(|f| f.code).collect();
    let mut f = valid();
    for name in &names {
        assert!(f.set_attribute(name, "bogus"), "known attribute");
    }
    assert!(!f.set_attribute("name", "x"), "only attributes");
    let e = errors(&f);
    assert!(
        names.iter().all(|n| e.get(n).is_some()),
        "each bad value is reported on its own field"
    );
}

#[test]
fn clipping_keeps_only_known_attributes_and_short_codes() {
    let mut f = valid();
    f.attributes.insert("junk".into(), "x".into());
    f.set_attribute("ai_type", &"q".repeat(10_000));
    let c = f.clipped();
    assert!(!c.attributes.contains_key("junk"));
    assert_eq!(c.attribute("ai_type").chars().count(), 64);
    assert_eq!(c.attribute("hosting"), "provider_managed");
}

#[test]
fn control_characters_are_refused_on_their_own_field() {
    let mut f = valid();
    f.name = "Bot\0".into();
    f.model_version = "1\u{1b}[2J".into();
    f.tags = "a\tb".into();
    f.description = "line one\r\n\tline two".into();
    let e = errors(&f);
    for field in ["name", "model_version", "tags"] {
        assert_eq!(e.get(field), Some(CONTROL_MESSAGE), "{field}");
    }
    assert_eq!(e.get("description"), None, "breaks and tabs are text there");
    f = valid();
    f.description = "nul\0inside".into();
    assert_eq!(errors(&f).get("description"), Some(CONTROL_MESSAGE));
}

#[test]
fn overlong_emails_are_refused_and_echoes_show_no_controls() {
    let mut f = valid();
    f.other_owners = format!("{}@example.test", "a".repeat(EMAIL_MAX));
    assert!(errors(&f).get("other_owners").unwrap_or("").contains("254"));
    f = valid();
    f.set_attribute("ai_type", "bad\u{7}value");
    let message = errors(&f).get("ai_type").unwrap_or("").to_string();
    assert!(!message.chars().any(char::is_control), "{message:?}");
}

#[test]
fn clipping_bounds_every_field_by_its_own_limit() {
    let huge = "é".repeat(1_000_000);
    let f = WorkloadForm {
        name: huge.clone(),
        description: huge.clone(),
        team_id: huge.clone(),
        other_owners: huge.clone(),
        model_digest: huge.clone(),
        tags: huge.clone(),
        revision: huge,
        ..valid()
    }
    .clipped();
    assert_eq!(f.name.chars().count(), 2 * NAME_MAX);
    assert_eq!(f.description.chars().count(), 2 * DESCRIPTION_MAX);
    assert_eq!(f.team_id.chars().count(), 2 * crate::domain::ids::ID_MAX);
    assert!(f.other_owners.chars().count() <= 2 * OTHER_OWNERS_MAX * (EMAIL_MAX + 2));
    assert!(f.model_digest.chars().count() < 200 && f.revision.chars().count() <= 40);
    let stored = serde_json::to_string(&f).expect("json").len();
    assert!(
        stored < 64 * 1024,
        "a kept form stays small: {stored} bytes"
    );
    // A value only a little too long comes back whole.
    let mut g = valid();
    g.name = "n".repeat(NAME_MAX + 5);
    assert_eq!(g.clone().clipped().name, g.name);
}
