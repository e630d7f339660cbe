//! Strata's Leptos crate: the domain rules, server functions, pages and components. Built with
//! `ssr` for the server and `hydrate` for the browser.

// Deeply nested views (catalog tables) exceed the default type-recursion depth.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
#[cfg(feature = "ssr")]
pub mod charts;
pub mod components;
pub mod domain;
pub mod dto;
pub mod error;
pub mod format;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
#[cfg(feature = "ssr")]
pub mod service;

/// The browser's entry point: attaches the reactive app to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
