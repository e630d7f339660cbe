//! The `strata` binary.

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(strata_server::cli::run(args).await);
}
