//! The one place that knows bincode. Every stored value starts with a format
//! version byte so records can be migrated; every decode is size-limited.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Version of the stored record layout. Bump it (and add a migration) when a
/// stored type changes shape.
/// 2: `VisitorSummary` keeps the figures without 检举控告类 matters. (No hall
/// held data in format 1, so there is no migration from it.)
/// 3: `Matter` carries its `Lifecycle` instead of a status and two dates. (No hall
/// held data in format 2.)
/// 4: `Matter` records the accused party of a 检举控告类 matter. (No hall held data in
/// format 3.)
/// 5: `Matter` keeps its evaluations and a lower level's acceptance; `Visit` its level and
/// anonymity; `Visitor` its anonymity. (No hall held data in format 4.)
/// 6: `Matter` carries its 督办 (`supervision`) and 领导包案 (`lead`); its history keeps
/// oversight actions. (No hall held data in format 5.)
/// 7: a finished `Ticket` names the officer who served it. (No hall held data in format 6.)
/// 8: a day's statistics count 越级访, visits by level and satisfaction. (No hall held data
/// in format 7.)
pub const FORMAT_VERSION: u8 = 8;

/// No stored record or network frame is ever this big; a length field that says
/// otherwise is corruption or an attack.
pub const MAX_VALUE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("数据为空")]
    Empty,
    #[error("数据格式版本 {found} 无法识别（本程序为 {expected}），请先升级程序或迁移数据")]
    Version { found: u8, expected: u8 },
    #[error("数据无法解码：{0}")]
    Decode(String),
    #[error("数据无法编码：{0}")]
    Encode(String),
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_VALUE_BYTES>()
}

/// Plain bincode, no version byte: for network frames, which carry their own
/// protocol version in the handshake.
pub fn to_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    bincode::serde::encode_to_vec(value, config()).map_err(|e| CodecError::Encode(e.to_string()))
}

/// Decodes a whole buffer; trailing bytes are an error, not ignored.
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (value, used) = bincode::serde::decode_from_slice(bytes, config())
        .map_err(|e| CodecError::Decode(e.to_string()))?;
    if used != bytes.len() {
        return Err(CodecError::Decode(format!(
            "末尾多出 {} 字节",
            bytes.len() - used
        )));
    }
    Ok(value)
}

/// A stored value: version byte, then bincode.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    let mut out = vec![FORMAT_VERSION];
    out.extend(to_bytes(value)?);
    Ok(out)
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    match bytes.split_first() {
        None => Err(CodecError::Empty),
        Some((&FORMAT_VERSION, rest)) => from_bytes(rest),
        Some((&found, _)) => Err(CodecError::Version {
            found,
            expected: FORMAT_VERSION,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_version_check() {
        let v = (42u64, "张三".to_string(), Some(vec![1u8, 2]));
        let bytes = encode(&v).unwrap();
        assert_eq!(bytes[0], FORMAT_VERSION);
        assert_eq!(decode::<(u64, String, Option<Vec<u8>>)>(&bytes).unwrap(), v);
        let mut wrong = bytes.clone();
        wrong[0] = 99;
        assert!(matches!(
            decode::<(u64, String, Option<Vec<u8>>)>(&wrong),
            Err(CodecError::Version { found: 99, .. })
        ));
        assert_eq!(decode::<u64>(&[]), Err(CodecError::Empty));
    }

    #[test]
    fn garbage_and_huge_lengths_are_errors_not_panics() {
        // A string claiming u64::MAX bytes must be refused before allocation.
        let mut huge = vec![FORMAT_VERSION, 253];
        huge.extend(u64::MAX.to_le_bytes());
        assert!(decode::<String>(&huge).is_err());
        assert!(decode::<(u64, String)>(&[FORMAT_VERSION, 1, 2, 3]).is_err());
        let mut trailing = encode(&7u32).unwrap();
        trailing.push(0);
        assert!(decode::<u32>(&trailing).is_err());
    }
}
