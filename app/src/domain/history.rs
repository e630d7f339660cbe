//! Pages of a workload's history. Revisions count up from 1 without gaps, so a page is a range
//! of revisions: no count and no offset to read.

use super::workload::{ChangeKind, Workload};

/// Versions per history page.
pub const PER_PAGE: i64 = 20;

/// The versions one history page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryWindow {
    /// The page shown (1 is the newest), after clamping to the pages that exist.
    pub page: u32,
    pub pages: u32,
    /// Oldest and newest revision on the page.
    pub low: i64,
    pub high: i64,
}

impl HistoryWindow {
    /// Page `page` of the history of a workload now at revision `current`; a page past the
    /// end shows the oldest one, so an old link still lands on history.
    pub fn new(current: i64, page: u32) -> Self {
        let current = current.max(1);
        let pages = (current + PER_PAGE - 1) / PER_PAGE;
        let page = i64::from(page).clamp(1, pages);
        let high = current - (page - 1) * PER_PAGE;
        HistoryWindow {
            page: page as u32,
            pages: pages as u32,
            low: (high - PER_PAGE + 1).max(1),
            high,
        }
    }
}

/// What a version changed, as a person reads it; `previous` is the version before it, which
/// an edit is compared with.
pub fn change_summary(w: &Workload, previous: Option<&Workload>) -> String {
    match w.change {
        ChangeKind::Created => format!("Registered in {}", w.phase),
        ChangeKind::Edited => {
            let changed = previous
                .map(|p| w.draft.changed_since(&p.draft))
                .unwrap_or_default();
            if changed.is_empty() {
                "Edited (no field changed)".to_string()
            } else {
                format!("Edited: {}", changed.join(", "))
            }
        }
        ChangeKind::Promoted => format!("Promoted to {}", w.phase),
        ChangeKind::Demoted => format!("Demoted to {}", w.phase),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_ranges_of_revisions_newest_first() {
        assert_eq!(
            HistoryWindow::new(45, 1),
            HistoryWindow {
                page: 1,
                pages: 3,
                low: 26,
                high: 45
            }
        );
        assert_eq!(
            HistoryWindow::new(45, 3),
            HistoryWindow {
                page: 3,
                pages: 3,
                low: 1,
                high: 5
            }
        );
        assert_eq!(
            HistoryWindow::new(45, 99).page,
            3,
            "past the end: the oldest page"
        );
        assert_eq!(HistoryWindow::new(45, 0).page, 1);
        assert_eq!(
            HistoryWindow::new(1, 1),
            HistoryWindow {
                page: 1,
                pages: 1,
                low: 1,
                high: 1
            }
        );
        assert_eq!(HistoryWindow::new(40, 2).low, 1);
    }
}
