//! Who is on the other end of a request: the client IP (SPEC §2.9: the address the trusted proxy
//! appended, never the left-most `X-Forwarded-For` value) and the user agent, and how both are
//! shown to users (masked IP, 「Chrome / Windows」).

use http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// Stored with sessions, tokens and audit rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub ip: Option<IpAddr>,
    /// At most 255 characters.
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// `hops` = how many proxies in front of the app append to `X-Forwarded-For`. With 0 the
    /// TCP peer is the client; with n the n-th address from the right is.
    pub fn from_request(headers: &HeaderMap, peer: Option<SocketAddr>, hops: usize) -> Self {
        let ip = if hops == 0 {
            peer.map(|p| p.ip())
        } else {
            let forwarded: Vec<IpAddr> = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|part| part.trim().parse().ok())
                .collect();
            forwarded
                .len()
                .checked_sub(hops)
                .and_then(|i| forwarded.get(i).copied())
        };
        let user_agent = headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(255).collect());
        Self { ip, user_agent }
    }

    pub fn ip_key(&self) -> String {
        self.ip
            .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
    }
}

/// `203.0.113.x` for IPv4, the first 48 bits for IPv6 (SPEC §2.4).
pub fn mask_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.x")
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return mask_ip(IpAddr::V4(v4));
            }
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    }
}

/// 「Chrome / Windows」 from a user agent; 「不明な端末」 when it says nothing useful.
pub fn device_label(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent else {
        return "不明な端末".to_owned();
    };
    match woothee::parser::Parser::new().parse(ua) {
        Some(result) if result.name != "UNKNOWN" => {
            if result.os == "UNKNOWN" {
                result.name.to_owned()
            } else {
                format!("{} / {}", result.name, result.os)
            }
        }
        _ => "不明な端末".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn the_right_most_trusted_hop_decides() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 198.51.100.7, 10.0.0.2"),
        );
        let peer: SocketAddr = "10.0.0.9:5000".parse().unwrap();
        let at = |hops| {
            ClientInfo::from_request(&headers, Some(peer), hops)
                .ip
                .unwrap()
                .to_string()
        };
        assert_eq!(at(0), "10.0.0.9");
        assert_eq!(at(1), "10.0.0.2");
        assert_eq!(at(2), "198.51.100.7");
        // A client cannot push its own value into the trusted position by adding entries on the left.
        assert_eq!(ClientInfo::from_request(&headers, Some(peer), 9).ip, None);
    }

    #[test]
    fn masking_and_devices() {
        assert_eq!(mask_ip("203.0.113.45".parse().unwrap()), "203.0.113.x");
        assert_eq!(
            mask_ip("2001:db8:1234:5678::1".parse().unwrap()),
            "2001:db8:1234::/48"
        );
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
        assert_eq!(device_label(Some(chrome)), "Chrome / Windows 10");
        assert_eq!(device_label(None), "不明な端末");
    }
}
