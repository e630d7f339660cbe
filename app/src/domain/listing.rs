//! The workload list's query: search, filters, sorting and pagination, parsed from the URL with
//! clamping, so that no hand-edited address can make the server fail.

use super::{Layer, Phase};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Rows per page when the URL does not say.
pub const DEFAULT_PER_PAGE: u32 = 25;
/// Most rows per page.
pub const MAX_PER_PAGE: u32 = 100;
/// Longest search text kept.
pub const MAX_SEARCH: usize = 100;

/// Sortable columns of the workload list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    Name,
    Team,
    Phase,
    Updated,
}

impl SortKey {
    const ALL: [(SortKey, &'static str); 4] = [
        (SortKey::Name, "name"),
        (SortKey::Team, "team"),
        (SortKey::Phase, "phase"),
        (SortKey::Updated, "updated"),
    ];

    /// The code used in URLs.
    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, c)| *c)
            .unwrap_or("name")
    }

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, c)| *c == code).map(|(k, _)| *k)
    }
}

/// One page of the workload list, as the URL asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadQuery {
    pub search: String,
    pub team: Option<String>,
    pub phase: Option<Phase>,
    /// Only workloads with an open gap in this layer.
    pub gap_layer: Option<Layer>,
    pub sort: SortKey,
    pub descending: bool,
    pub page: u32,
    pub per_page: u32,
    /// The first URL parameter that held a control character: such an address is refused
    /// rather than read as the defaults it would fall back to.
    #[serde(default)]
    pub unreadable: Option<String>,
}

impl Default for WorkloadQuery {
    fn default() -> Self {
        WorkloadQuery {
            search: String::new(),
            team: None,
            phase: None,
            gap_layer: None,
            sort: SortKey::Name,
            descending: false,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            unreadable: None,
        }
    }
}

impl WorkloadQuery {
    /// Reads the URL's parameters. Numbers out of range are clamped and unknown values of a
    /// closed set (sort, direction, phase) fall back to the default, so any address renders.
    pub fn from_params(params: &BTreeMap<String, String>) -> Self {
        let get = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let number = |k: &str, default: u32| {
            get(k).map_or(default, |v| {
                v.parse::<u64>()
                    .map_or(default, |n| n.min(u32::MAX as u64) as u32)
            })
        };
        WorkloadQuery {
            search: get("q")
                .map(|s| s.chars().take(MAX_SEARCH).collect())
                .unwrap_or_default(),
            team: get("team").map(String::from),
            phase: get("phase").and_then(Phase::from_code),
            gap_layer: get("gap").and_then(Layer::from_code),
            sort: get("sort")
                .and_then(SortKey::from_code)
                .unwrap_or(SortKey::Name),
            descending: get("dir") == Some("desc"),
            page: number("page", 1).clamp(1, 100_000),
            per_page: number("per_page", DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE),
            unreadable: params
                .iter()
                .find(|(_, v)| !super::text::is_single_line(v))
                // `clamped` bounds the name, as it bounds the rest, before it is echoed.
                .map(|(k, _)| k.clone()),
        }
    }

    /// The same bounds as `from_params`, for a query that did not come from a URL (a server
    /// function's caller can send any numbers).
    pub fn clamped(mut self) -> Self {
        self.search = self.search.trim().chars().take(MAX_SEARCH).collect();
        self.page = self.page.clamp(1, 100_000);
        self.per_page = self.per_page.clamp(1, MAX_PER_PAGE);
        if let Some(name) = &mut self.unreadable {
            super::text::clip_chars(name, 20);
        }
        self
    }

    /// Why this query cannot be answered, if it cannot: a parameter holding control
    /// characters, a team filter that is not shaped like a team id, or search text holding
    /// control characters (the list never guesses what such a parameter meant).
    pub fn problem(&self) -> Option<String> {
        if let Some(name) = &self.unreadable {
            return Some(format!("the {name} parameter holds control characters"));
        }
        if self
            .team
            .as_deref()
            .is_some_and(|t| !super::ids::is_id_shaped(t))
        {
            return Some("the team filter is not a team id".into());
        }
        if !super::text::is_single_line(&self.search) {
            return Some("the search text holds control characters".into());
        }
        None
    }

    /// The URL query string for this query (without `?`), leaving out defaults.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(String, String)> = Vec::new();
        if !self.search.is_empty() {
            parts.push(("q".into(), self.search.clone()));
        }
        if let Some(t) = &self.team {
            parts.push(("team".into(), t.clone()));
        }
        if let Some(p) = self.phase {
            parts.push(("phase".into(), p.code().into()));
        }
        if let Some(l) = self.gap_layer {
            parts.push(("gap".into(), l.code().into()));
        }
        if self.sort != SortKey::Name {
            parts.push(("sort".into(), self.sort.code().into()));
        }
        if self.descending {
            parts.push(("dir".into(), "desc".into()));
        }
        if self.page != 1 {
            parts.push(("page".into(), self.page.to_string()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            parts.push(("per_page".into(), self.per_page.to_string()));
        }
        parts
            .iter()
            .map(|(k, v)| format!("{k}={}", super::text::percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn filters_holding_what_no_id_or_search_has_are_problems() {
        let q = |pairs: &[(&str, &str)]| WorkloadQuery::from_params(&params(pairs));
        assert_eq!(
            q(&[("team", "019a7c3e-5b2f"), ("q", "crédit scorer")]).problem(),
            None
        );
        assert!(q(&[("team", "a\0")]).problem().is_some());
        assert!(q(&[("team", "' or 1=1")]).problem().is_some());
        assert!(q(&[("q", "x\u{0}y")]).problem().is_some());
        // Closed sets and numbers would fall back to defaults: refused instead, named.
        for key in ["phase", "sort", "dir", "page", "per_page", "gap"] {
            let problem = q(&[(key, "1\u{0}")]).problem().unwrap_or_default();
            assert!(problem.contains(key), "{key}: {problem}");
        }
        assert!(
            q(&[("team", "\n019a7c3e")]).problem().is_some(),
            "not trimmed away"
        );
    }

    #[test]
    fn defaults_when_nothing_is_given() {
        assert_eq!(
            WorkloadQuery::from_params(&BTreeMap::new()),
            WorkloadQuery::default()
        );
    }

    #[test]
    fn malformed_numbers_and_codes_are_clamped_or_ignored() {
        let q = WorkloadQuery::from_params(&params(&[
            ("page", "-3"),
            ("per_page", "100000"),
            ("sort", "drop table"),
            ("phase", "beta"),
            ("dir", "sideways"),
        ]));
        assert_eq!((q.page, q.per_page), (1, MAX_PER_PAGE));
        assert_eq!(
            (q.sort, q.phase, q.descending),
            (SortKey::Name, None, false)
        );
        assert_eq!(
            WorkloadQuery::from_params(&params(&[("page", "0")])).page,
            1
        );
        assert_eq!(
            WorkloadQuery::from_params(&params(&[("page", "99999999999")])).page,
            100_000
        );
    }

    #[test]
    fn query_string_round_trips() {
        let q = WorkloadQuery {
            search: "fraud & co".into(),
            team: Some("t-1".into()),
            phase: Some(Phase::Scale),
            gap_layer: Some(Layer::Model),
            sort: SortKey::Updated,
            descending: true,
            page: 3,
            per_page: 10,
            unreadable: None,
        };
        let s = q.to_query_string();
        assert!(s.contains("q=fraud%20%26%20co"));
        let back: BTreeMap<String, String> = s
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), decode(v)))
            .collect();
        assert_eq!(WorkloadQuery::from_params(&back), q);
    }

    fn decode(v: &str) -> String {
        let bytes = v.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap_or(b'?'));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn clamping_applies_the_url_bounds() {
        let q = WorkloadQuery {
            page: 0,
            per_page: 1_000_000,
            search: "x".repeat(500),
            ..Default::default()
        }
        .clamped();
        assert_eq!(
            (q.page, q.per_page, q.search.len()),
            (1, MAX_PER_PAGE, MAX_SEARCH)
        );
    }

    proptest! {
        #[test]
        fn any_parameters_give_a_valid_page(page in ".{0,12}", per in ".{0,12}", sort in ".{0,8}") {
            let q = WorkloadQuery::from_params(&params(&[("page", &page), ("per_page", &per), ("sort", &sort)]));
            prop_assert!(q.page >= 1 && (1..=MAX_PER_PAGE).contains(&q.per_page));
        }
    }
}
