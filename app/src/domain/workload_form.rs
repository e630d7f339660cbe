//! The workload form as typed, and its validation. The same code checks the form in the browser
//! and on the server; the server also checks what needs the store (team, owners, duplicates).

use super::attribute_fields::{attribute_field, ATTRIBUTE_FIELDS};
use super::attributes::Attributes;
use super::ids::ID_MAX;
use super::text::{clip_chars, is_multi_line, is_single_line, CONTROL_MESSAGE};
use super::workload::{ArtifactRef, Workload};
use super::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest workload name, in characters.
pub const NAME_MAX: usize = 120;
/// Longest description, in characters.
pub const DESCRIPTION_MAX: usize = 2000;
/// Longest artifact name or version, in characters.
pub const REF_MAX: usize = 200;
/// Most tags on one workload.
pub const TAGS_MAX: usize = 20;
/// Longest tag, in characters.
pub const TAG_MAX: usize = 40;
/// Longest attribute code kept from a refused form.
const ATTRIBUTE_KEEP: usize = 64;

/// Most additional owners.
pub const OTHER_OWNERS_MAX: usize = 10;
/// Longest email address (RFC 5321's limit on a path).
pub const EMAIL_MAX: usize = 254;
/// Length of a digest as written: `sha256:` and 64 hex digits.
const DIGEST_LEN: usize = 71;

/// The workload form exactly as typed: every field is text, so a refused form can be shown
/// again with what the person entered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkloadForm {
    pub name: String,
    pub description: String,
    pub team_id: String,
    pub primary_owner: String,
    /// Emails, separated by commas.
    pub other_owners: String,
    /// Attribute codes by attribute (`ai_type` → `predictive`), as typed; the attributes are
    /// those of `ATTRIBUTE_FIELDS`. Sent as `form[ai_type]` like the other fields.
    #[serde(flatten)]
    pub attributes: BTreeMap<String, String>,
    pub model_name: String,
    pub model_version: String,
    pub model_digest: String,
    pub dataset_name: String,
    pub dataset_version: String,
    pub dataset_digest: String,
    /// Separated by commas.
    pub tags: String,
    /// The revision the person started editing from (empty when creating).
    pub revision: String,
}

/// A form that passed the checks that need no store. Owners are still as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedForm {
    pub name: String,
    pub description: String,
    pub team_id: String,
    pub primary_owner: String,
    pub other_owner_emails: Vec<String>,
    pub attributes: Attributes,
    pub model_refs: Vec<ArtifactRef>,
    pub dataset_refs: Vec<ArtifactRef>,
    pub tags: Vec<String>,
    pub revision: Option<i64>,
}

impl WorkloadForm {
    /// A blank form with the default attributes pre-selected.
    pub fn blank() -> Self {
        Self::with_attributes(&Attributes::default())
    }

    fn with_attributes(a: &Attributes) -> Self {
        WorkloadForm {
            attributes: ATTRIBUTE_FIELDS
                .iter()
                .map(|f| (f.code.to_string(), (f.value)(a).0.to_string()))
                .collect(),
            ..Default::default()
        }
    }

    /// The typed code of an attribute (empty when nothing was sent).
    pub fn attribute(&self, code: &str) -> &str {
        self.attributes.get(code).map_or("", String::as_str)
    }

    /// Sets an attribute's typed code, so that attribute vectors written as `code=value` pairs
    /// go through the same checks as a form; false when `code` is not an attribute.
    pub fn set_attribute(&mut self, code: &str, value: &str) -> bool {
        let known = attribute_field(code).is_some();
        if known {
            self.attributes.insert(code.to_string(), value.to_string());
        }
        known
    }

    /// The form pre-filled from a stored workload, for editing. Other owners are given as
    /// emails, which the caller resolves.
    pub fn from_workload(w: &Workload, other_owner_emails: &[String]) -> Self {
        let d = &w.draft;
        let first = |refs: &[ArtifactRef]| refs.first().cloned();
        let model = first(&d.model_refs);
        let dataset = first(&d.dataset_refs);
        WorkloadForm {
            name: d.name.clone(),
            description: d.description.clone(),
            team_id: d.team_id.0.clone(),
            primary_owner: d.primary_owner.0.clone(),
            other_owners: other_owner_emails.join(", "),
            model_name: model.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
            model_version: model
                .as_ref()
                .map(|r| r.version.clone())
                .unwrap_or_default(),
            model_digest: model.map(|r| r.digest).unwrap_or_default(),
            dataset_name: dataset.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
            dataset_version: dataset
                .as_ref()
                .map(|r| r.version.clone())
                .unwrap_or_default(),
            dataset_digest: dataset.map(|r| r.digest).unwrap_or_default(),
            tags: d.tags.join(", "),
            revision: w.revision.to_string(),
            ..Self::with_attributes(&d.attributes)
        }
    }

    /// The form with every field cut to twice the longest valid value, so that keeping a refused
    /// form for one more showing costs little storage whatever was sent, while a value typed a
    /// little too long comes back whole to be shortened.
    pub fn clipped(mut self) -> Self {
        let list = |n: usize, each: usize| n * (each + 2);
        for (field, max) in [
            (&mut self.name, NAME_MAX),
            (&mut self.description, DESCRIPTION_MAX),
            (&mut self.team_id, ID_MAX),
            (&mut self.primary_owner, ID_MAX),
            (&mut self.other_owners, list(OTHER_OWNERS_MAX, EMAIL_MAX)),
            (&mut self.model_name, REF_MAX),
            (&mut self.model_version, REF_MAX),
            (&mut self.model_digest, DIGEST_LEN),
            (&mut self.dataset_name, REF_MAX),
            (&mut self.dataset_version, REF_MAX),
            (&mut self.dataset_digest, DIGEST_LEN),
            (&mut self.tags, list(TAGS_MAX, TAG_MAX)),
            (&mut self.revision, 20),
        ] {
            clip_chars(field, 2 * max);
        }
        // Only known attributes are kept, each cut to a length no code exceeds.
        self.attributes
            .retain(|code, _| attribute_field(code).is_some());
        for v in self.attributes.values_mut() {
            clip_chars(v, ATTRIBUTE_KEEP);
        }
        self
    }

    /// The one-line text fields, by field name (the description is the one multi-line field).
    fn single_line_fields(&self) -> [(&'static str, &str); 12] {
        [
            ("name", &self.name),
            ("team_id", &self.team_id),
            ("primary_owner", &self.primary_owner),
            ("other_owners", &self.other_owners),
            ("model_name", &self.model_name),
            ("model_version", &self.model_version),
            ("model_digest", &self.model_digest),
            ("dataset_name", &self.dataset_name),
            ("dataset_version", &self.dataset_version),
            ("dataset_digest", &self.dataset_digest),
            ("tags", &self.tags),
            ("revision", &self.revision),
        ]
    }

    /// Checks only the attributes (for vectors written as `code=value` pairs: demo data,
    /// golden tests, the bench).
    pub fn checked_attributes(&self) -> Result<Attributes, FieldErrors> {
        let mut e = FieldErrors::default();
        self.check_attributes(&mut e).ok_or(e)
    }

    /// Checks everything that needs no store; every problem is reported against its field.
    pub fn check(&self) -> Result<CheckedForm, FieldErrors> {
        let mut e = FieldErrors::default();
        // First, so that a field holding a control character is told so (the first message
        // of a field wins) rather than something its invisible character caused.
        for (field, value) in self.single_line_fields() {
            if !is_single_line(value) {
                e.add(field, CONTROL_MESSAGE);
            }
        }
        if !is_multi_line(&self.description) {
            e.add("description", CONTROL_MESSAGE);
        }
        let name = self.name.trim().to_string();
        if name.is_empty() {
            e.add("name", "Enter a name.");
        } else if name.chars().count() > NAME_MAX {
            e.add("name", format!("Use at most {NAME_MAX} characters."));
        }
        let description = self.description.trim().to_string();
        if description.chars().count() > DESCRIPTION_MAX {
            e.add(
                "description",
                format!("Use at most {DESCRIPTION_MAX} characters."),
            );
        }
        if self.team_id.trim().is_empty() {
            e.add("team_id", "Choose a team.");
        }
        if self.primary_owner.trim().is_empty() {
            e.add("primary_owner", "Choose a primary owner.");
        }
        let other_owner_emails = split_list(&self.other_owners);
        if other_owner_emails.len() > OTHER_OWNERS_MAX {
            e.add(
                "other_owners",
                format!("List at most {OTHER_OWNERS_MAX} owners."),
            );
        } else if other_owner_emails
            .iter()
            .any(|m| m.chars().count() > EMAIL_MAX)
        {
            e.add(
                "other_owners",
                format!("An email address has at most {EMAIL_MAX} characters."),
            );
        } else if let Some(bad) = other_owner_emails.iter().find(|m| !looks_like_email(m)) {
            e.add(
                "other_owners",
                format!("“{}” is not an email address.", clip(bad)),
            );
        }
        let attributes = self.check_attributes(&mut e);
        let model_refs = check_ref(
            &mut e,
            "model",
            &self.model_name,
            &self.model_version,
            &self.model_digest,
        );
        let dataset_refs = check_ref(
            &mut e,
            "dataset",
            &self.dataset_name,
            &self.dataset_version,
            &self.dataset_digest,
        );
        let tags = check_tags(&mut e, &self.tags);
        let revision = match self.revision.trim() {
            "" => None,
            r => match r.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    e.add("revision", "The form is damaged; reload the page.");
                    None
                }
            },
        };
        match attributes {
            Some(attributes) if e.is_empty() => Ok(CheckedForm {
                name,
                description,
                team_id: self.team_id.trim().to_string(),
                primary_owner: self.primary_owner.trim().to_string(),
                other_owner_emails: other_owner_emails
                    .iter()
                    .map(|m| m.to_lowercase())
                    .collect(),
                attributes,
                model_refs,
                dataset_refs,
                tags,
                revision,
            }),
            _ => Err(e),
        }
    }

    fn check_attributes(&self, e: &mut FieldErrors) -> Option<Attributes> {
        // Every field is read before any is given up on, so all problems are reported at once.
        let mut a = Attributes::default();
        let mut all_valid = true;
        for f in &ATTRIBUTE_FIELDS {
            let raw = self.attribute(f.code);
            if !(f.set)(&mut a, raw.trim()) {
                all_valid = false;
                let shown = if raw.trim().is_empty() {
                    "nothing".to_string()
                } else {
                    format!("“{}”", clip(raw))
                };
                e.add(
                    f.code,
                    format!("Choose one of the listed values ({shown} is not one)."),
                );
            }
        }
        if !all_valid {
            return None;
        }
        if let Some(msg) = a.hosting_conflict() {
            e.add("hosting", msg);
            return None;
        }
        Some(a)
    }
}

fn check_ref(
    e: &mut FieldErrors,
    kind: &str,
    name: &str,
    version: &str,
    digest: &str,
) -> Vec<ArtifactRef> {
    let (name, version, digest) = (name.trim(), version.trim(), digest.trim().to_lowercase());
    if !digest.is_empty() && !is_sha256_digest(&digest) {
        e.add(
            &format!("{kind}_digest"),
            "Write the digest as sha256: followed by 64 hex digits.",
        );
    }
    for (field, value) in [("name", name), ("version", version)] {
        if value.chars().count() > REF_MAX {
            e.add(
                &format!("{kind}_{field}"),
                format!("Use at most {REF_MAX} characters."),
            );
        }
    }
    if name.is_empty() {
        if !version.is_empty() || !digest.is_empty() {
            e.add(
                &format!("{kind}_name"),
                "Enter a name for this version or digest.",
            );
        }
        return Vec::new();
    }
    vec![ArtifactRef {
        name: name.into(),
        version: version.into(),
        digest,
    }]
}

/// `sha256:` and 64 lowercase hex digits.
pub fn is_sha256_digest(s: &str) -> bool {
    s.strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn check_tags(e: &mut FieldErrors, raw: &str) -> Vec<String> {
    let mut tags: Vec<String> = split_list(raw).iter().map(|t| t.to_lowercase()).collect();
    tags.sort();
    tags.dedup();
    if tags.len() > TAGS_MAX {
        e.add("tags", format!("Use at most {TAGS_MAX} tags."));
    } else if let Some(bad) = tags.iter().find(|t| {
        t.chars().count() > TAG_MAX
            || !t
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '))
    }) {
        e.add(
            "tags",
            format!(
                "“{}” is not a tag: use letters, digits, - _ . and at most {TAG_MAX} characters.",
                clip(bad)
            ),
        );
    }
    tags
}

fn split_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn looks_like_email(s: &str) -> bool {
    let mut parts = s.split('@');
    matches!((parts.next(), parts.next(), parts.next()),
        (Some(local), Some(domain), None) if !local.is_empty() && domain.contains('.') && !s.contains(' '))
}

/// Echoing a value into a message stays short and shows no control character.
fn clip(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(40)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
