//! The `strata` binary.

/// Rendering a page allocates and frees many small strings: glibc's allocator took a sixth of a
/// workload page's time (perf); with mimalloc the page answered 1,076 instead of 836 requests/s
/// (`strata bench`, SQLite, 10 clients; README's Speed section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(strata_server::cli::run(args).await);
}
