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

/// The browser's entry point. Pages are rendered by the server and stay plain HTML; only the
/// islands (the forms, the phase buttons, the hydration marker) come alive, which keeps the
/// bundle to what they need instead of every page and the router.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function's redirect (where a saved form goes next, or a refused one back to its
    // page with the flash) is followed as a page load: ActionForm sets that hook when no
    // client router has, as it is here.
    leptos::mount::hydrate_islands();
}
