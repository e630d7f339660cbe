//! Only our own host names: a page on a rebinding DNS name (`evil.example` resolving to this
//! server) would otherwise read what the server shows, because to the browser it is that
//! page's own origin. Requests whose `Host` is not a name this server is reached by get 421;
//! `/health` answers any host, since load balancers probe it by address.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The host names (lowercase, without port) requests may name.
#[derive(Clone, Debug)]
pub struct AllowedHosts(pub Arc<[String]>);

const LOOPBACK: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

impl AllowedHosts {
    /// The host of `public_url`, every loopback name when that host is one of them (people type
    /// `localhost` as often as `127.0.0.1`), and the `extra` names from configuration.
    pub fn new(public_url: &str, extra: &[String]) -> Self {
        let own = public_host(public_url);
        let mut names = vec![own.clone()];
        if LOOPBACK.contains(&own.as_str()) {
            names.extend(LOOPBACK.iter().map(|n| n.to_string()));
        }
        names.extend(extra.iter().map(|n| host_name(n)));
        names.sort();
        names.dedup();
        AllowedHosts(names.into())
    }

    /// Whether `authority` (`name[:port]`) names one of our hosts.
    pub fn allows(&self, authority: &str) -> bool {
        let name = host_name(authority);
        !name.is_empty() && self.0.contains(&name)
    }

    /// Whether a browser's `Origin` (`scheme://name[:port]`) is a page of one of our hosts.
    /// Another port of the same host is another site's page too, but browsers say so in
    /// `Sec-Fetch-Site`, which the origin check refuses first.
    pub fn allows_origin(&self, origin: &str) -> bool {
        match origin.split_once("://") {
            Some(("http" | "https", authority)) => {
                !authority.contains('/') && self.allows(authority)
            }
            _ => false,
        }
    }
}

/// The host name of `public_url`, lowercase, without port, path or `user@` (which names no
/// host).
fn public_host(public_url: &str) -> String {
    let authority = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default();
    host_name(authority.rsplit('@').next().unwrap_or_default())
}

/// Whether `public_url` names this machine (`localhost`, `127.0.0.1`, `[::1]`).
pub fn is_loopback(public_url: &str) -> bool {
    LOOPBACK.contains(&public_host(public_url).as_str())
}

/// The host part of an authority (`name:port`, `[v6]:port`), lowercase, without a final dot.
fn host_name(authority: &str) -> String {
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6
            .split_once(']')
            .map_or(authority.to_string(), |(inside, _)| format!("[{inside}]")),
        None => authority.split(':').next().unwrap_or_default().to_string(),
    };
    host.trim_end_matches('.').to_lowercase()
}

/// Answers 421 to a request for a host name that is not ours.
pub async fn own_hosts_only(
    State(allowed): State<AllowedHosts>,
    req: Request,
    next: Next,
) -> Response {
    // HTTP/1.1 names the host in `Host`, HTTP/2 in the request's authority.
    // A Host that is not text is nobody's name.
    let authority = match req.headers().get(header::HOST) {
        Some(host) => host.to_str().ok(),
        None => req.uri().authority().map(|a| a.as_str()),
    };
    let ours = authority.is_some_and(|a| allowed.allows(a));
    if ours || req.uri().path() == "/health" {
        return next.run(req).await;
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        "This server does not answer for this host name. Use the address it is published at \
         (STRATA_PUBLIC_URL), or add the name to STRATA_ALLOWED_HOSTS.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::AllowedHosts;

    #[test]
    fn the_public_host_and_on_loopback_every_loopback_name() {
        let local = AllowedHosts::new("http://127.0.0.1:3000", &[]);
        for ok in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST",
            "[::1]:3000",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example:3000",
            "127.0.0.1.evil.example",
            "",
            "[::2]:3000",
        ] {
            assert!(!local.allows(refused), "{refused}");
        }
        let public = AllowedHosts::new(
            "https://Strata.Example.org/base",
            &["strata.internal".into()],
        );
        for ok in [
            "strata.example.org",
            "strata.example.org.:443",
            "strata.internal:8080",
        ] {
            assert!(public.allows(ok), "{ok}");
        }
        for refused in ["localhost:3000", "127.0.0.1", "example.org"] {
            assert!(!public.allows(refused), "{refused}");
        }
        let with_user = AllowedHosts::new("https://admin@strata.example.org", &[]);
        assert!(with_user.allows("strata.example.org") && !with_user.allows("admin"));
    }

    #[test]
    fn origins_of_our_hosts_only() {
        let local = AllowedHosts::new("http://127.0.0.1:3000", &["strata.internal.".into()]);
        for ok in [
            "http://127.0.0.1:3000",
            "http://localhost:3000",
            "http://[::1]:3000",
            "https://strata.internal",
        ] {
            assert!(local.allows_origin(ok), "{ok}");
        }
        for refused in [
            "https://evil.example",
            "null",
            "http://",
            "ftp://localhost",
            "http://localhost/x",
        ] {
            assert!(!local.allows_origin(refused), "{refused}");
        }
    }
}
