//! `lianfang backup` and `restore` from the command line.

mod process_support;
mod temp_data;

use lianfang::store::crypt::key_path;
use process_support::{lianfang, run};
use temp_data::TempData;

#[test]
fn backup_and_restore_round_trip_and_refuse_what_they_must() {
    let source = TempData::new();
    lianfang(source.path(), &["demo", "--visitors", "50"], "");
    let file = source.path().join("hall.lfbak");
    let file_arg = file.to_str().unwrap();
    lianfang(source.path(), &["backup", "--out", file_arg], "");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "a backup holds personal data");
    let again = run(source.path(), &["backup", "--out", file_arg], "");
    assert!(String::from_utf8_lossy(&again.stderr).contains("不会覆盖"));

    // The backup is sealed with the source hall's key: no restore without it.
    let target = TempData::new();
    let out = run(target.path(), &["restore", file_arg], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("密钥文件"));
    assert!(!target.path().join("db").exists());
    let target_key = key_path(target.path(), None);
    std::fs::copy(key_path(source.path(), None), &target_key).unwrap();

    let out = run(target.path(), &["restore", file_arg], "");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("检查通过"), "{said}");
    let lookup = |dir: &std::path::Path| {
        let out = run(dir, &["lookup", "--json", "--limit", "100", "张"], "");
        assert!(out.status.success());
        out.stdout
    };
    assert_eq!(lookup(target.path()), lookup(source.path()));

    // Never over an existing database.
    let out = run(target.path(), &["restore", file_arg], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("已有数据库"));

    // A damaged file is refused and leaves no half-restored database behind.
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    let damaged = source.path().join("damaged.lfbak");
    std::fs::write(&damaged, bytes).unwrap();
    let empty = TempData::new();
    let out = run(empty.path(), &["restore", damaged.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("校验和不符"));
    assert!(!empty.path().join("db").exists());
}
