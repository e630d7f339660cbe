//! Shapes sent between server functions and pages. Database rows never leave the server.

use crate::domain::workload::Workload;
use crate::domain::workload_form::WorkloadForm;
use crate::domain::{FieldErrors, Phase, TeamId, UserId};
use serde::{Deserialize, Serialize};

/// A team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub is_demo: bool,
}

/// A person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub is_demo: bool,
}

/// A row of the workload list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadRow {
    pub id: String,
    pub name: String,
    pub team_name: String,
    pub phase: Phase,
    pub primary_owner_name: String,
    pub updated_at: String,
    pub tags: Vec<String>,
}

/// One page of the workload list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadPage {
    pub rows: Vec<WorkloadRow>,
    pub total: u64,
}

/// How many current workloads are in one phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseCount {
    pub phase: Phase,
    pub count: u64,
}

/// A workload with the names a page shows next to its ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadView {
    pub workload: Workload,
    pub team_name: String,
    pub owners: Vec<User>,
    pub history: Vec<Workload>,
}

/// What the workload form needs to offer: teams and people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormChoices {
    pub teams: Vec<Team>,
    pub users: Vec<User>,
}

/// A refused form kept for one showing: what was typed and what was wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFlash {
    pub values: WorkloadForm,
    pub errors: FieldErrors,
    pub message: Option<String>,
}
