//! Sizes of the browser bundle as served: each file raw and gzip-compressed.

use super::Failure;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn gzip_size(bytes: &[u8]) -> Result<usize, Failure> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    child.stdin.take().ok_or("gzip stdin")?.write_all(bytes)?;
    Ok(child.wait_with_output()?.stdout.len())
}

/// Prints the bundle table.
pub fn print(site_root: &Path) -> Result<(), Failure> {
    println!();
    println!(
        "{:<12} {:>12} {:>12}",
        "bundle file", "raw bytes", "gzip bytes"
    );
    for file in ["strata.js", "strata.wasm", "strata.css"] {
        let path = site_root.join("pkg").join(file);
        match std::fs::read(&path) {
            Ok(bytes) => println!(
                "{:<12} {:>12} {:>12}",
                file,
                bytes.len(),
                gzip_size(&bytes)?
            ),
            Err(_) => println!("{:<12} {:>12} {:>12}", file, "missing", "-"),
        }
    }
    Ok(())
}
