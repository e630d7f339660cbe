//! Sizes of the browser bundle: each file raw, gzip-compressed, and as the brotli file the build
//! made (what a browser that accepts br downloads).

use super::Failure;
use std::path::Path;
use std::process::Command;

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
    for file in crate::assets::BUNDLE {
        let path = site_root.join("pkg").join(file);
        let br = std::fs::metadata(site_root.join("pkg").join(format!("{file}.br")))
            .map_or_else(|_| "-".to_string(), |m| m.len().to_string());
        match std::fs::read(&path) {
            Ok(bytes) => println!(
                "{:<12} {:>12} {:>12} {:>12}",
                file,
                bytes.len(),
                gzip_size(&path)?,
                br
            ),
            Err(_) => println!("{:<12} {:>12} {:>12} {:>12}", file, "missing", "-", "-"),
        }
    }
    Ok(())
}
