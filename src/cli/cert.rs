//! `lianfang cert new` / `cert show`: the hall's self-signed TLS certificate.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::CliError;
use crate::net::tls;

pub const CERT_FILE: &str = "hall-cert.pem";
pub const KEY_FILE: &str = "hall-key.pem";
/// About two years: long enough not to surprise a hall, short enough to be renewed.
pub const DEFAULT_DAYS: u32 = 825;

/// Writes `DIR/hall-cert.pem` and `DIR/hall-key.pem` (readable only by the owner)
/// and prints the fingerprint desks pin.
pub fn new(hall: &str, hosts: &[String], out: &Path, days: u32) -> Result<(), CliError> {
    let cert_path = out.join(CERT_FILE);
    let key_path = out.join(KEY_FILE);
    for path in [&cert_path, &key_path] {
        if path.exists() {
            return Err(CliError::Input(format!(
                "{} 已存在，不会覆盖。请换一个 --out 目录，或先把旧文件移走",
                path.display()
            )));
        }
    }
    std::fs::create_dir_all(out)
        .map_err(|e| CliError::Input(format!("无法创建目录 {}：{e}", out.display())))?;
    let made = tls::self_signed(hall, hosts, days).map_err(|e| CliError::Input(e.to_string()))?;
    write_new(&key_path, &made.key_pem, 0o600)?;
    write_new(&cert_path, &made.cert_pem, 0o644)?;
    println!("已生成证书 {}", cert_path.display());
    println!(
        "已生成私钥 {}（只有本账户可读，请勿拷出服务器）",
        key_path.display()
    );
    println!("有效期 {days} 天，适用地址：{}", hosts.join("、"));
    println!("SHA-256 指纹：{}", made.fingerprint);
    println!();
    println!("服务器配置：");
    println!("  [server]");
    println!("  tls_cert = \"{}\"", cert_path.display());
    println!("  tls_key = \"{}\"", key_path.display());
    println!("窗口配置（二选一）：");
    println!("  [desk]");
    println!("  tls_pin_sha256 = \"{}\"", made.fingerprint);
    println!("  # 或把证书文件拷到窗口上：tls_ca = \"{CERT_FILE}\"");
    Ok(())
}

/// Prints the fingerprint of a certificate file, to compare with what desks pin.
pub fn show(file: &Path) -> Result<(), CliError> {
    let fingerprint = tls::file_fingerprint(file).map_err(|e| CliError::Input(e.to_string()))?;
    println!("{fingerprint}");
    Ok(())
}

fn write_new(path: &Path, text: &str, mode: u32) -> Result<(), CliError> {
    let failed = |e: std::io::Error| CliError::Input(format!("无法写入 {}：{e}", path.display()));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)?;
    file.sync_all().map_err(failed)
}
