//! The client's address, which limits per client count by: the socket's peer, or, when the
//! peer is one of the reverse proxies named in `STRATA_TRUSTED_PROXIES`, the address the proxies
//! say they forwarded for. Anyone else's `X-Forwarded-For` is ignored: a client could write any
//! address there and so escape every limit.

use app::api::context::ClientAddress;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Arc<Vec<IpAddr>>);

/// Puts the request's `ClientAddress` in its extensions, for the use cases.
pub async fn attach(
    State(proxies): State<TrustedProxies>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let address = match peer {
        Some(peer) => {
            let forwarded = req
                .headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
                .join(",");
            counted_as(client_of(peer, &forwarded, &proxies.0))
        }
        // Served without socket information (an in-process caller): one shared address.
        None => "unknown".to_string(),
    };
    req.extensions_mut().insert(ClientAddress(address));
    next.run(req).await
}

/// How a client is counted: an IPv4 address as itself; IPv6 by its /64, which one host
/// normally holds whole and could otherwise rotate through to escape every limit.
fn counted_as(client: IpAddr) -> String {
    match client {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The client behind `peer`: the peer itself unless it is a trusted proxy; then, reading
/// `X-Forwarded-For` from the right (the hop nearest us), the first address that is not a
/// trusted proxy. A malformed entry stops the walk at the last hop we could trust. IPv4
/// addresses written as IPv6 (`::ffff:10.0.0.2`, what a dual-stack socket reports) are read
/// as IPv4 throughout.
fn client_of(peer: IpAddr, forwarded_for: &str, trusted: &[IpAddr]) -> IpAddr {
    let trusted: Vec<IpAddr> = trusted.iter().map(IpAddr::to_canonical).collect();
    let mut client = peer.to_canonical();
    if !trusted.contains(&client) {
        return client;
    }
    for hop in forwarded_for
        .rsplit(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
    {
        let Ok(addr) = hop.parse::<IpAddr>().map(|a| a.to_canonical()) else {
            break;
        };
        client = addr;
        if !trusted.contains(&addr) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::{client_of, counted_as};
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let proxy = ip("10.0.0.2");
        let trusted = [proxy, ip("10.0.0.3")];
        // A client writing the header itself is still counted by its own address.
        assert_eq!(
            client_of(ip("203.0.113.9"), "198.51.100.1", &trusted),
            ip("203.0.113.9")
        );
        // Through our proxy: the nearest untrusted hop, not the leftmost (which the client
        // may have written).
        assert_eq!(
            client_of(proxy, "1.2.3.4, 198.51.100.7, 10.0.0.3", &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(client_of(proxy, "", &trusted), proxy);
        assert_eq!(
            client_of(proxy, "garbage, 10.0.0.3", &trusted),
            ip("10.0.0.3")
        );
        assert_eq!(client_of(proxy, "2001:db8::1", &trusted), ip("2001:db8::1"));
        // A dual-stack socket reports our IPv4 proxy in IPv6 form.
        assert_eq!(
            client_of(ip("::ffff:10.0.0.2"), "198.51.100.7", &trusted),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(counted_as(ip("203.0.113.9")), "203.0.113.9");
        assert_eq!(counted_as(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(
            counted_as(ip("2001:db8:1:2:ffff::9")),
            counted_as(ip("2001:db8:1:2::1"))
        );
    }
}
