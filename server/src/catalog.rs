//! Reading catalog files (YAML) and loading them as catalog versions. The starter catalog ships
//! inside the binary; its content hash decides whether loading it records a new version.

use app::domain::catalog::{validate, Catalog};
use app::domain::Principal;
use app::ports::{CatalogLoad, SharedStore, StoreError};
use sha2::{Digest, Sha256};

/// The starter catalog shipped with Strata.
pub const STARTER: &str = include_str!("../catalog/starter.yaml");

/// Where the shipped catalog is said to come from in catalog versions.
pub const STARTER_SOURCE: &str = "built-in starter catalog";

/// Parses and validates catalog YAML; errors give the line (syntax) or the control (content).
pub fn parse(text: &str) -> Result<Catalog, String> {
    let catalog: Catalog = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    validate(&catalog).map_err(|problems| problems.join("\n"))?;
    Ok(catalog)
}

/// SHA-256 of the catalog's canonical JSON, as lowercase hex: comments and layout in the file
/// do not make a new version, any change of content does.
pub fn content_hash(catalog: &Catalog) -> String {
    let json = serde_json::to_vec(catalog).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Loads the starter catalog (a no-op when its content is already the current version).
pub async fn load_starter(
    store: &SharedStore,
    actor: &Principal,
) -> Result<CatalogLoad, StoreError> {
    let catalog = parse(STARTER).map_err(|e| StoreError::Other(format!("starter catalog: {e}")))?;
    store
        .load_catalog(&catalog, &content_hash(&catalog), STARTER_SOURCE, actor)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::{Layer, Phase};

    #[test]
    fn the_starter_catalog_spans_every_layer_and_phase() {
        let c = parse(STARTER).expect("the shipped catalog is valid");
        assert!(c.controls.len() >= 15);
        for layer in Layer::ALL {
            for phase in Phase::ALL {
                assert!(
                    c.controls
                        .iter()
                        .any(|x| x.layer == *layer && x.min_phase == *phase),
                    "{layer} / {phase}"
                );
            }
        }
        assert!(!c.pull_forward.is_empty());
    }

    #[test]
    fn errors_name_the_line_or_the_control() {
        let e =
            parse("name: x\ncontrols:\n  - id: DATA-01\n    layer: dta\n").expect_err("refused");
        assert!(e.contains('4') || e.contains("line"), "{e}");
        let yaml = "name: x\ncontrols:\n  - {id: DATA-01, layer: data, title: t, min_phase: scale, applies_when: gen_ai}\n";
        assert!(parse(yaml).expect_err("refused").contains("gen_ai"));
        let yaml = "name: x\ncontrols:\n  - {id: DATA-01, layer: data, title: t, min_phase: prototype, applies_when: always}\n\
                    pull_forward:\n  - {id: R1, title: r, when: always, controls: {DATA-01: scale}}\n";
        assert!(parse(yaml).expect_err("refused").contains("may only lower"));
    }

    #[test]
    fn the_hash_ignores_layout_but_not_content() {
        let a = parse(STARTER).expect("valid");
        let b = parse(&format!("# a comment\n{STARTER}")).expect("valid");
        assert_eq!(content_hash(&a), content_hash(&b));
        let mut c = a.clone();
        c.controls[0].title.push('!');
        assert_ne!(content_hash(&a), content_hash(&c));
    }
}
