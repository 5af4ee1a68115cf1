//! TLS between desks and `lianfang serve` (rustls with the ring provider).
//!
//! The server presents a certificate and key from `[server] tls_cert` /
//! `tls_key`. A desk trusts either a CA file (`[desk] tls_ca`, which may be the
//! hall's self-signed certificate itself) or one pinned certificate, named by the
//! SHA-256 fingerprint of its DER bytes (`[desk] tls_pin_sha256`), which
//! `lianfang cert new` prints.

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{ring, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};

use crate::config::TlsSettings;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("无法读取证书文件 {path}：{message}。请检查 tls_cert / tls_ca 的路径，或用 lianfang cert new 生成证书")]
    Certificate { path: String, message: String },
    #[error("无法读取私钥文件 {path}：{message}。请检查 tls_key 的路径和文件权限")]
    Key { path: String, message: String },
    #[error("证书与私钥不匹配或无法使用：{0}。请用 lianfang cert new 重新生成一对")]
    Config(String),
    #[error("配置了 tls_cert 却没有 tls_key（或反之）：两项必须同时设置")]
    Incomplete,
    #[error("生成证书失败：{0}")]
    Generate(String),
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(ring::default_provider())
}

/// The lower-case hex SHA-256 of a certificate's DER bytes, in pairs joined by `:`.
pub fn fingerprint(der: &[u8]) -> String {
    let digest = Sha256::digest(der);
    let pairs: Vec<String> = digest.iter().map(|b| format!("{b:02X}")).collect();
    pairs.join(":")
}

/// Reads a fingerprint written with or without `:` separators, in either case.
pub fn parse_fingerprint(text: &str) -> Option<[u8; 32]> {
    let hex: String = text.chars().filter(|c| *c != ':').collect();
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let failed = |message: String| TlsError::Certificate {
        path: path.display().to_string(),
        message,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| failed(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| failed(e.to_string()))?;
    if certs.is_empty() {
        return Err(failed("文件中没有 PEM 格式的证书".into()));
    }
    Ok(certs)
}

/// The server side, or `None` when the config sets no certificate.
pub fn server_config(
    settings: &TlsSettings,
) -> Result<Option<Arc<rustls::ServerConfig>>, TlsError> {
    let (cert, key) = match (&settings.cert, &settings.key) {
        (None, None) => return Ok(None),
        (Some(cert), Some(key)) => (cert, key),
        _ => return Err(TlsError::Incomplete),
    };
    let certs = read_certs(cert)?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| TlsError::Key {
        path: key.display().to_string(),
        message: e.to_string(),
    })?;
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| TlsError::Config(e.to_string()))?;
    Ok(Some(Arc::new(config)))
}

/// The desk side, or `None` when the config names neither a CA nor a pin.
/// A pin wins over a CA when both are set: it is the narrower trust.
pub fn client_config(
    settings: &TlsSettings,
) -> Result<Option<Arc<rustls::ClientConfig>>, TlsError> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?;
    let config = if let Some(pin) = settings.pin_sha256 {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinnedCertificate {
                sha256: pin,
                provider: provider(),
            }))
            .with_no_client_auth()
    } else if let Some(ca) = &settings.ca {
        let mut roots = RootCertStore::empty();
        for cert in read_certs(ca)? {
            roots.add(cert).map_err(|e| TlsError::Certificate {
                path: ca.display().to_string(),
                message: e.to_string(),
            })?;
        }
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        return Ok(None);
    };
    Ok(Some(Arc::new(config)))
}

/// The name the desk expects in the server's certificate: the host part of `host:port`.
pub fn server_name(addr: &str) -> Option<ServerName<'static>> {
    let host = match addr.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() => host,
        _ => addr,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(host.to_string()).ok()
}

const PIN_MISMATCH: &str = "服务器证书的指纹与配置的 tls_pin_sha256 不符";

/// Trusts exactly one certificate, whatever its issuer, names and dates: the hall's own.
#[derive(Debug)]
struct PinnedCertificate {
    sha256: [u8; 32],
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedCertificate {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if Sha256::digest(end_entity.as_ref()).as_slice() == self.sha256 {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(format!(
                "{PIN_MISMATCH}（服务器的是 {}）",
                fingerprint(end_entity.as_ref())
            )))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// What an officer reads when the TLS handshake fails, with what to do about it.
pub fn describe_failure(e: &std::io::Error, addr: &str) -> String {
    let tls = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let Some(tls) = tls else {
        return format!(
            "与 {addr} 的加密握手失败：{e}。服务器可能没有启用 TLS（服务器配置 [server] tls_cert、tls_key），\
             或者地址不对"
        );
    };
    match tls {
        rustls::Error::General(text) if text.starts_with(PIN_MISMATCH) => format!(
            "{text}。可能连到了别的机器，请向管理员核对服务器地址和指纹（服务器上运行 lianfang cert show 查看）"
        ),
        rustls::Error::InvalidCertificate(CertificateError::ExpiredContext { time, not_after }) => {
            expired(&format!("于 {} ", moment(*not_after)), *time)
        }
        rustls::Error::InvalidCertificate(CertificateError::Expired) => expired("", UnixTime::now()),
        rustls::Error::InvalidCertificate(CertificateError::NotValidYetContext {
            time,
            not_before,
        }) => not_valid_yet(&format!("要到 {} 才", moment(*not_before)), *time),
        rustls::Error::InvalidCertificate(CertificateError::NotValidYet) => {
            not_valid_yet("尚未", UnixTime::now())
        }
        // A foreign certificate that happens to carry the same issuer name fails on its signature.
        rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer | CertificateError::BadSignature,
        ) => {
            "服务器证书不是配置的 tls_ca 所签发的，不能信任。请向管理员索取正确的证书文件，或改用 tls_pin_sha256"
                .into()
        }
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => format!(
            "服务器证书不包含连接所用的地址 {addr}。请用证书中的地址连接，\
             或请管理员用 lianfang cert new --host 加上这个地址重新生成证书"
        ),
        other => format!("与 {addr} 的加密握手失败：{other}"),
    }
}

/// A certificate date as the officer compares it with the desk's clock.
fn moment(t: UnixTime) -> String {
    i64::try_from(t.as_secs())
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map_or_else(
            || "（无法识别的时间）".into(),
            |d| d.format("%Y-%m-%d %H:%M UTC").to_string(),
        )
}

/// `when` is "于 <date> " or empty. The desk's clock may be the wrong one, so it is shown too.
fn expired(when: &str, now: UnixTime) -> String {
    format!(
        "服务器证书已{when}过期（本机时间 {}），不能信任。请管理员在服务器上用 lianfang cert new \
         生成新证书并重启 lianfang serve，再把新证书发给各窗口替换 tls_ca 指向的文件；\
         如果本机日期不对，请先校正本机时间",
        moment(now)
    )
}

/// `when` is "要到 <date> 才" or "尚未": a desk clock running behind is the usual cause.
fn not_valid_yet(when: &str, now: UnixTime) -> String {
    format!(
        "服务器证书{when}生效（本机时间 {}），现在还不能使用。请先检查本机和服务器的日期时间是否正确；\
         时间无误时，请管理员在服务器上用 lianfang cert new 重新生成证书",
        moment(now)
    )
}

/// A self-signed certificate for a hall, with its key, in PEM.
pub struct SelfSigned {
    pub cert_pem: String,
    pub key_pem: String,
    pub fingerprint: String,
}

/// Names the certificate after the hall and lists `hosts` (names or IP
/// addresses the desks connect to) plus `localhost`; valid for `days` from today.
pub fn self_signed(hall: &str, hosts: &[String], days: u32) -> Result<SelfSigned, TlsError> {
    use chrono::Datelike;
    let failed = |e: rcgen::Error| TlsError::Generate(e.to_string());
    let mut names: Vec<String> = hosts.to_vec();
    for local in ["localhost", "127.0.0.1"] {
        if !names.iter().any(|n| n == local) {
            names.push(local.to_string());
        }
    }
    let mut params = rcgen::CertificateParams::new(names).map_err(failed)?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, hall);
    // Yesterday: a desk whose clock is a little behind still accepts it.
    let ymd = |d: chrono::NaiveDate| rcgen::date_time_ymd(d.year(), d.month() as u8, d.day() as u8);
    let today = chrono::Utc::now().date_naive();
    params.not_before = ymd(today - chrono::Days::new(1));
    params.not_after = ymd(today + chrono::Days::new(u64::from(days)));
    let key = rcgen::KeyPair::generate().map_err(failed)?;
    let cert = params.self_signed(&key).map_err(failed)?;
    Ok(SelfSigned {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        fingerprint: fingerprint(cert.der()),
    })
}

/// The fingerprint of the first certificate in a PEM file, for `lianfang cert show`.
pub fn file_fingerprint(path: &Path) -> Result<String, TlsError> {
    Ok(fingerprint(read_certs(path)?[0].as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_read_back_with_or_without_colons() {
        let text = fingerprint(b"certificate");
        assert_eq!(text.len(), 32 * 3 - 1);
        let bytes = parse_fingerprint(&text).unwrap();
        assert_eq!(bytes.as_slice(), Sha256::digest(b"certificate").as_slice());
        let plain = text.replace(':', "").to_lowercase();
        assert_eq!(parse_fingerprint(&plain), Some(bytes));
        assert_eq!(parse_fingerprint(&plain[2..]), None);
        assert_eq!(parse_fingerprint(&"zz".repeat(32)), None);
        assert_eq!(parse_fingerprint(&"中".repeat(22)), None);
    }

    #[test]
    fn date_refusals_name_the_date_the_desk_clock_and_what_to_do() {
        let at = |secs| UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs));
        let refuse = |e: CertificateError| {
            let e = std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                rustls::Error::InvalidCertificate(e),
            );
            describe_failure(&e, "hall.test:7878")
        };
        let now = at(1_795_737_600); // 2026-11-27 00:00 UTC
        let message = refuse(CertificateError::ExpiredContext {
            time: now,
            not_after: at(1_609_459_200),
        });
        assert!(
            message.starts_with("服务器证书已于 2021-01-01 00:00 UTC 过期"),
            "{message}"
        );
        assert!(
            message.contains("本机时间 2026-11-27 00:00 UTC"),
            "{message}"
        );
        assert!(message.contains("lianfang cert new"), "{message}");
        let message = refuse(CertificateError::NotValidYetContext {
            time: now,
            not_before: at(4_070_908_800),
        });
        assert!(
            message.starts_with("服务器证书要到 2099-01-01 00:00 UTC 才生效"),
            "{message}"
        );
        assert!(
            message.contains("本机时间 2026-11-27 00:00 UTC"),
            "{message}"
        );
        assert!(message.contains("日期时间"), "{message}");
        // Without the dates rustls sometimes gives, the words still say what is wrong.
        assert!(refuse(CertificateError::Expired).starts_with("服务器证书已过期"));
        assert!(refuse(CertificateError::NotValidYet).starts_with("服务器证书尚未生效"));
    }

    #[test]
    fn server_names_come_from_the_host_part() {
        let name = |a| server_name(a).map(|n| n.to_str().into_owned());
        assert_eq!(name("192.168.1.10:7878").as_deref(), Some("192.168.1.10"));
        assert_eq!(name("hall.local:7878").as_deref(), Some("hall.local"));
        assert_eq!(name("[::1]:7878").as_deref(), Some("::1"));
        assert_eq!(name("hall.local").as_deref(), Some("hall.local"));
    }
}
