//! Reusable pieces of UI, one component per file.

pub mod chart;
pub mod field;
pub mod hydration_marker;
pub mod nav;
pub mod notice;
pub mod pagination;
pub mod register_button;
pub mod select_field;
pub mod submit_button;
pub mod workload_fields;
