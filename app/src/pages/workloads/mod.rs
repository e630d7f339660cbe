//! Workload pages: list, register, edit, and the workload itself.

mod attest_page;
mod attribute_table;
mod coverage_panel;
mod edit_page;
mod history_table;
mod list_filters;
mod list_page;
mod list_table;
mod new_page;
mod phase_actions;
mod readiness_panel;
mod requirements_section;
mod workload_form;
mod workload_page;

pub use attest_page::AttestPage;
pub use edit_page::EditWorkloadPage;
pub use list_page::WorkloadListPage;
pub use new_page::NewWorkloadPage;
pub use workload_page::WorkloadPage;
