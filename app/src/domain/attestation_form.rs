//! The attest form as typed, and its validation: each field's problem named, nothing stored
//! until all of them hold. Pure, so the browser and the server refuse the same input.

use super::attestation::{
    default_expiry, expiry_problem, ArtifactClaim, ArtifactKind, AttestationStatus, TEXT_MAX,
};
use super::text::{clip_chars, is_multi_line, is_single_line, CONTROL_MESSAGE};
use super::workload::ArtifactRef;
use super::FieldErrors;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest link.
pub const URL_MAX: usize = 2_000;
/// Links one attestation may give.
pub const LINKS_MAX: usize = 20;

/// The fields as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationForm {
    pub status: String,
    pub statement: String,
    pub justification: String,
    pub inherited_from: String,
    /// `YYYY-MM-DD`; empty: today.
    pub effective: String,
    /// `YYYY-MM-DD`; empty: the effective date plus the control's cadence.
    pub expiry: String,
    /// `model:NAME` or `dataset:NAME` of one of the workload's references; empty: none.
    pub artifact: String,
    /// Evidence links, one per line.
    pub links: String,
    /// An evidence note.
    pub note: String,
}

/// A form that holds, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidAttestation {
    pub status: AttestationStatus,
    pub statement: String,
    pub justification: String,
    pub inherited_from: String,
    pub effective: DateTime<Utc>,
    pub expiry: DateTime<Utc>,
    pub artifact: Option<ArtifactClaim>,
    pub links: Vec<String>,
    pub note: Option<String>,
}

/// What the form is checked against: the control's cadence at the workload's phase, the
/// workload's artifact references, and today.
pub struct Context<'a> {
    pub cadence_days: u32,
    pub models: &'a [ArtifactRef],
    pub datasets: &'a [ArtifactRef],
    pub today: NaiveDate,
}

/// How the form names one of the workload's references: `model:NAME` or `dataset:NAME`.
pub fn artifact_code(kind: ArtifactKind, name: &str) -> String {
    format!("{}:{name}", kind.code())
}

/// The references an attestation may name, as (code, label) choices: models, then datasets.
pub fn artifact_choices(models: &[ArtifactRef], datasets: &[ArtifactRef]) -> Vec<(String, String)> {
    let kinds = [
        (ArtifactKind::Model, models),
        (ArtifactKind::Dataset, datasets),
    ];
    kinds
        .into_iter()
        .flat_map(|(kind, refs)| {
            refs.iter().map(move |r| {
                let claim = ArtifactClaim {
                    kind,
                    name: r.name.clone(),
                    version: r.version.clone(),
                    digest: r.digest.clone(),
                };
                (
                    artifact_code(kind, &r.name),
                    format!("{} {}", kind.label(), claim.label()),
                )
            })
        })
        .collect()
}

/// A date of the years an attestation can speak about (which also keeps the arithmetic on
/// it far from chrono's limits).
fn day(text: &str) -> Option<NaiveDate> {
    use chrono::Datelike;
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2200).contains(&d.year()))
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// A link we store: `http` or `https`, a host, no spaces or control characters.
pub fn link_problem(url: &str) -> Option<&'static str> {
    if url.chars().count() > URL_MAX {
        return Some("A link may have at most 2,000 characters.");
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Some("Links must start with https:// or http://.");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') || host.contains('@') {
        return Some("A link needs a host name after https://.");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("A link may not contain spaces or control characters.");
    }
    None
}

/// Checks one text field: required or not, at most `TEXT_MAX` characters, no control
/// characters (line breaks allowed).
fn text(errors: &mut FieldErrors, field: &str, value: &str, required: Option<&str>) -> String {
    let value = value.trim();
    if value.is_empty() {
        if let Some(message) = required {
            errors.add(field, message);
        }
    } else if value.chars().count() > TEXT_MAX {
        errors.add(field, "At most 4,000 characters.");
    } else if !is_multi_line(value) {
        errors.add(field, CONTROL_MESSAGE);
    }
    value.to_string()
}

impl AttestationForm {
    /// The form with every field cut to a little over its longest valid value, so that keeping
    /// a refused form for one more showing costs little whatever was sent, while a value typed
    /// a little too long comes back whole to be shortened.
    pub fn clipped(mut self) -> Self {
        for (field, max) in [
            (&mut self.status, 40),
            (&mut self.statement, TEXT_MAX + 100),
            (&mut self.justification, TEXT_MAX + 100),
            (&mut self.inherited_from, TEXT_MAX + 100),
            (&mut self.effective, 20),
            (&mut self.expiry, 20),
            (&mut self.artifact, 300),
            (&mut self.links, (LINKS_MAX + 2) * (URL_MAX + 2)),
            (&mut self.note, TEXT_MAX + 100),
        ] {
            clip_chars(field, max);
        }
        self
    }

    /// The form as it may be stored, or every field's problem.
    pub fn validate(&self, cx: &Context<'_>) -> Result<ValidAttestation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let status = AttestationStatus::from_code(self.status.trim());
        if status.is_none() {
            errors.add("status", "Choose what is in place.");
        }
        let statement = text(
            &mut errors,
            "statement",
            &self.statement,
            Some("Say what is in place and how."),
        );
        let justification = text(
            &mut errors,
            "justification",
            &self.justification,
            (status == Some(AttestationStatus::NotApplicable))
                .then_some("Say why the control does not apply to this workload."),
        );
        let inherited_from = text(
            &mut errors,
            "inherited_from",
            &self.inherited_from,
            (status == Some(AttestationStatus::Inherited))
                .then_some("Name the vendor or platform the control is inherited from."),
        );
        if !is_single_line(&inherited_from) {
            errors.add("inherited_from", CONTROL_MESSAGE);
        }
        let effective = if self.effective.trim().is_empty() {
            Some(cx.today)
        } else {
            day(&self.effective)
        };
        match effective {
            None => errors.add("effective", "Give the date as YYYY-MM-DD."),
            // A claim is about what is in place: a future date would count as out of force
            // and take the place of the claim in force now.
            Some(d) if d > cx.today => errors.add(
                "effective",
                "The effective date cannot be later than today.",
            ),
            Some(_) => {}
        }
        let effective = effective.map(midnight);
        let expiry = match (self.expiry.trim().is_empty(), effective) {
            (true, Some(from)) => Some(default_expiry(from, cx.cadence_days)),
            (true, None) => None,
            (false, _) => {
                let d = day(&self.expiry).map(midnight);
                if d.is_none() {
                    errors.add("expiry", "Give the date as YYYY-MM-DD.");
                }
                d
            }
        };
        if let (Some(from), Some(until)) = (effective, expiry) {
            if let Some(problem) = expiry_problem(from, until, cx.cadence_days) {
                errors.add("expiry", problem);
            } else if until <= midnight(cx.today) {
                errors.add(
                    "expiry",
                    "This expiry has passed: the claim would never be in force.",
                );
            }
        }
        let artifact = self.artifact_claim(cx, &mut errors);
        let mut links = Vec::new();
        for line in self.links.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Some(problem) = link_problem(line) {
                errors.add("links", format!("{problem} ({})", clipped(line)));
            }
            links.push(line.to_string());
        }
        if links.len() > LINKS_MAX {
            errors.add("links", "Give at most 20 links.");
        }
        let note = text(&mut errors, "note", &self.note, None);
        match (status, effective, expiry) {
            (Some(status), Some(effective), Some(expiry)) if errors.is_empty() => {
                Ok(ValidAttestation {
                    status,
                    statement,
                    justification,
                    inherited_from,
                    effective,
                    expiry,
                    artifact,
                    links,
                    note: (!note.is_empty()).then_some(note),
                })
            }
            _ => Err(errors),
        }
    }

    /// The reference the form names, as the workload has it now.
    fn artifact_claim(&self, cx: &Context<'_>, errors: &mut FieldErrors) -> Option<ArtifactClaim> {
        let chosen = self.artifact.trim();
        if chosen.is_empty() {
            return None;
        }
        let found = chosen.split_once(':').and_then(|(kind, name)| {
            let kind = ArtifactKind::from_code(kind)?;
            let refs = match kind {
                ArtifactKind::Model => cx.models,
                ArtifactKind::Dataset => cx.datasets,
            };
            refs.iter().find(|r| r.name == name).map(|r| ArtifactClaim {
                kind,
                name: r.name.clone(),
                version: r.version.clone(),
                digest: r.digest.clone(),
            })
        });
        if found.is_none() {
            errors.add(
                "artifact",
                "Choose one of the workload's model or dataset references.",
            );
        }
        found
    }
}

/// The start of a long value, for a message.
fn clipped(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx<'a>(models: &'a [ArtifactRef]) -> Context<'a> {
        Context {
            cadence_days: 90,
            models,
            datasets: &[],
            today: NaiveDate::from_ymd_opt(2026, 12, 1).expect("day"),
        }
    }

    fn form(status: &str) -> AttestationForm {
        AttestationForm {
            status: status.into(),
            statement: "Weights are scanned before loading.".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_claim_defaults_to_today_and_the_cadence() {
        let v = form("implemented").validate(&cx(&[])).expect("valid");
        assert_eq!(v.effective.to_rfc3339(), "2026-12-01T00:00:00+00:00");
        assert_eq!(v.expiry.to_rfc3339(), "2027-03-01T00:00:00+00:00");
        assert_eq!((v.artifact, v.links.len(), v.note), (None, 0, None));
    }

    #[test]
    fn each_field_names_its_problem() {
        let bad = AttestationForm {
            status: "done".into(),
            statement: " ".into(),
            effective: "01/12/2026".into(),
            expiry: "soon".into(),
            artifact: "model:unknown".into(),
            links: "ftp://files.example.org/x\nhttps://ok.example.org/a".into(),
            note: "a\u{0}b".into(),
            ..Default::default()
        };
        let e = bad.validate(&cx(&[])).expect_err("refused");
        for field in [
            "status",
            "statement",
            "effective",
            "expiry",
            "artifact",
            "links",
            "note",
        ] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
        assert!(e
            .get("links")
            .expect("links")
            .contains("ftp://files.example.org/x"));
    }

    #[test]
    fn not_applicable_needs_a_justification_and_inherited_a_source() {
        let e = form("not_applicable").validate(&cx(&[])).expect_err("why");
        assert!(e.get("justification").is_some());
        let e = form("inherited")
            .validate(&cx(&[]))
            .expect_err("from where");
        assert!(e.get("inherited_from").is_some());
        let ok = AttestationForm {
            inherited_from: "Cloud provider (SOC 2 report)".into(),
            ..form("inherited")
        };
        assert!(ok.validate(&cx(&[])).is_ok());
    }

    #[test]
    fn the_expiry_is_after_the_effective_date_and_at_most_twice_the_cadence() {
        let at = |expiry: &str| AttestationForm {
            effective: "2026-12-01".into(),
            expiry: expiry.into(),
            ..form("implemented")
        };
        assert!(at("2027-01-15").validate(&cx(&[])).is_ok(), "shortened");
        assert!(at("2027-05-30").validate(&cx(&[])).is_ok(), "180 days");
        assert!(at("2027-05-31").validate(&cx(&[])).is_err(), "181 days");
        assert!(at("2026-11-30").validate(&cx(&[])).is_err(), "before");
    }

    #[test]
    fn the_artifact_is_one_of_the_workloads_references_as_it_is_now() {
        let models = [ArtifactRef {
            name: "scorer".into(),
            version: "2.1".into(),
            digest: "sha256:00ff".into(),
        }];
        let v = AttestationForm {
            artifact: "model:scorer".into(),
            ..form("implemented")
        }
        .validate(&cx(&models))
        .expect("valid");
        let a = v.artifact.expect("claim");
        assert_eq!(
            (a.version.as_str(), a.digest.as_str()),
            ("2.1", "sha256:00ff")
        );
        let e = AttestationForm {
            artifact: "dataset:scorer".into(),
            ..form("implemented")
        }
        .validate(&cx(&models))
        .expect_err("no such dataset");
        assert!(e.get("artifact").is_some());
    }

    #[test]
    fn every_offered_reference_is_one_the_form_accepts() {
        let models = [ArtifactRef {
            name: "scorer".into(),
            version: "2.1".into(),
            digest: String::new(),
        }];
        let datasets = [ArtifactRef {
            name: "claims-2026".into(),
            version: String::new(),
            digest: "sha256:ab".into(),
        }];
        let choices = artifact_choices(&models, &datasets);
        assert_eq!(
            choices,
            vec![
                ("model:scorer".to_string(), "Model scorer 2.1".to_string()),
                (
                    "dataset:claims-2026".to_string(),
                    "Dataset claims-2026 (sha256:ab)".to_string()
                ),
            ]
        );
        let cx = Context {
            datasets: &datasets,
            ..cx(&models)
        };
        for (code, _) in choices {
            let v = AttestationForm {
                artifact: code.clone(),
                ..form("implemented")
            }
            .validate(&cx)
            .expect("offered, so accepted");
            assert!(v.artifact.is_some(), "{code}");
        }
    }

    #[test]
    fn dates_are_not_in_the_future_nor_expired_already_nor_out_of_range() {
        let at = |effective: &str, expiry: &str| AttestationForm {
            effective: effective.into(),
            expiry: expiry.into(),
            ..form("implemented")
        };
        let e = at("2026-12-02", "").validate(&cx(&[])).expect_err("future");
        assert!(e
            .get("effective")
            .expect("effective")
            .contains("later than today"));
        let e = at("2026-08-01", "2026-11-30")
            .validate(&cx(&[]))
            .expect_err("lapsed");
        assert!(e.get("expiry").expect("expiry").contains("has passed"));
        assert!(
            at("2026-10-01", "").validate(&cx(&[])).is_ok(),
            "still in force"
        );
        for far in ["+262142-12-31", "1900-01-01", "2201-01-01"] {
            assert!(at(far, "").validate(&cx(&[])).is_err(), "{far}");
            assert!(at("2026-12-01", far).validate(&cx(&[])).is_err(), "{far}");
        }
    }

    #[test]
    fn links_are_http_or_https_with_a_host() {
        assert_eq!(link_problem("https://wiki.example.org/page?x=1#y"), None);
        assert_eq!(link_problem("http://10.0.0.1:8080/"), None);
        for bad in [
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://user@evil.example.org",
            "https://a.example.org/x y",
            "file:///etc/passwd",
        ] {
            assert!(link_problem(bad).is_some(), "{bad}");
        }
    }
}
