//! The load generator: `concurrency` clients fetching one URL over keep-alive connections for a
//! fixed time, recording each response's latency and size.

use std::time::{Duration, Instant};

/// What one route did under one load.
#[derive(Clone, Debug)]
pub struct Measured {
    pub requests: usize,
    pub errors: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// Body size of the last response.
    pub bytes: usize,
}

/// Drives `url` with `concurrency` clients for `warmup` (not counted) and then `duration`.
pub async fn drive(
    client: &reqwest::Client,
    url: &str,
    concurrency: usize,
    warmup: Duration,
    duration: Duration,
) -> Measured {
    run(client, url, concurrency, warmup).await;
    let started = Instant::now();
    let samples = run(client, url, concurrency, duration).await;
    let elapsed = started.elapsed().as_secs_f64();
    summarize(samples, elapsed)
}

/// One sample: latency, body size, and whether the status was a success.
type Sample = (Duration, usize, bool);

async fn run(
    client: &reqwest::Client,
    url: &str,
    concurrency: usize,
    time: Duration,
) -> Vec<Sample> {
    let until = Instant::now() + time;
    let workers = (0..concurrency).map(|_| {
        let client = client.clone();
        let url = url.to_string();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while Instant::now() < until {
                let at = Instant::now();
                let result = match client.get(&url).header("accept", "text/html").send().await {
                    Ok(res) => {
                        let ok = res.status().is_success();
                        res.bytes()
                            .await
                            .map(|b| (b.len(), ok))
                            .unwrap_or((0, false))
                    }
                    Err(_) => (0, false),
                };
                samples.push((at.elapsed(), result.0, result.1));
            }
            samples
        })
    });
    let mut all = Vec::new();
    for w in workers.collect::<Vec<_>>() {
        all.extend(w.await.unwrap_or_default());
    }
    all
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

/// Rate, latencies and size of the successful responses; failures are only counted (a route
/// answering fast errors must not look fast).
fn summarize(samples: Vec<Sample>, elapsed: f64) -> Measured {
    let errors = samples.iter().filter(|s| !s.2).count();
    let ok: Vec<&Sample> = samples.iter().filter(|s| s.2).collect();
    let bytes = ok.last().map_or(0, |s| s.1);
    let mut latencies: Vec<Duration> = ok.iter().map(|s| s.0).collect();
    latencies.sort();
    Measured {
        requests: ok.len(),
        errors,
        per_second: ok.len() as f64 / elapsed.max(f64::EPSILON),
        p50_ms: percentile(&latencies, 50.0),
        p95_ms: percentile(&latencies, 95.0),
        p99_ms: percentile(&latencies, 99.0),
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_follow_the_nearest_rank() {
        let ms: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&ms, 50.0), 50.0);
        assert_eq!(percentile(&ms, 99.0), 99.0);
        assert_eq!(percentile(&[], 99.0), 0.0);
        let m = summarize(
            vec![
                (Duration::from_millis(2), 10, true),
                (Duration::from_millis(4), 12, false),
            ],
            1.0,
        );
        assert_eq!(
            (m.requests, m.errors, m.bytes, m.per_second),
            (1, 1, 10, 1.0)
        );
    }
}
