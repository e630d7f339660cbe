//! Sizes of the browser bundle: each file raw, gzip-compressed, and as the brotli file the build
//! made (what a browser that accepts br downloads).

use super::Failure;
use std::path::Path;
use std::process::Command;

/// The most gzip bytes the release wasm may have (issue 13: every later change keeps to it).
const WASM_GZIP_BUDGET: usize = 350_000;

/// Size of the file gzip-compressed at level 9 (gzip reads the file itself: a pipe both ways
/// would deadlock on a large file).
fn gzip_size(path: &Path) -> Result<usize, Failure> {
    let out = Command::new("gzip").args(["-9", "-c"]).arg(path).output()?;
    if !out.status.success() {
        return Err(format!("gzip {} failed", path.display()).into());
    }
    Ok(out.stdout.len())
}

/// Prints the bundle table.
pub fn print(site_root: &Path) -> Result<(), Failure> {
    println!();
    println!(
        "{:<12} {:>12} {:>12} {:>12}",
        "bundle file", "raw bytes", "gzip bytes", "br bytes"
    );
    let mut wasm_gzip = None;
    for file in crate::assets::BUNDLE {
        let path = site_root.join("pkg").join(file);
        let br = std::fs::metadata(site_root.join("pkg").join(format!("{file}.br")))
            .map_or_else(|_| "-".to_string(), |m| m.len().to_string());
        match std::fs::read(&path) {
            Ok(bytes) => {
                let gzip = gzip_size(&path)?;
                println!("{:<12} {:>12} {:>12} {:>12}", file, bytes.len(), gzip, br);
                if path.extension().is_some_and(|e| e == "wasm") {
                    wasm_gzip = Some(gzip);
                }
            }
            Err(_) => println!("{:<12} {:>12} {:>12} {:>12}", file, "missing", "-", "-"),
        }
    }
    if let Some(gzip) = wasm_gzip {
        let verdict = if gzip <= WASM_GZIP_BUDGET {
            "within"
        } else {
            "OVER"
        };
        println!("wasm budget  {WASM_GZIP_BUDGET} gzip bytes: {verdict} ({gzip})");
    }
    Ok(())
}
