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
/// 9: a `Visitor`'s open matters keep what a lookup shows of them
/// (`OpenMatterRef::glance`). Every other record has format 8's shape, and format 8
/// values are still read ([`decode_since`]): a hall is not migrated. The glance holds a
/// `Lifecycle`, `Category` and `DeptCode`: a change to their shape changes `Visitor`'s.
pub const FORMAT_VERSION: u8 = 9;

/// The oldest format a hall may hold and this program reads.
pub const OLDEST_FORMAT: u8 = 8;

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

/// A stored value whose shape has not changed since [`OLDEST_FORMAT`]; records are
/// decoded by `Stored::decode`, which knows their changes of shape.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    decode_since(bytes, OLDEST_FORMAT, |found, _| Err(version_error(found)))
}

/// A stored value that has had today's shape since format `since`: a value of an older
/// format this program reads (from [`OLDEST_FORMAT`]) is decoded by `older` from its
/// version and the bytes after it.
pub fn decode_since<T: DeserializeOwned>(
    bytes: &[u8],
    since: u8,
    older: impl FnOnce(u8, &[u8]) -> Result<T, CodecError>,
) -> Result<T, CodecError> {
    match bytes.split_first() {
        None => Err(CodecError::Empty),
        Some((&found, rest)) if (since..=FORMAT_VERSION).contains(&found) => from_bytes(rest),
        Some((&found, rest)) if (OLDEST_FORMAT..since).contains(&found) => older(found, rest),
        Some((&found, _)) => Err(version_error(found)),
    }
}

pub fn version_error(found: u8) -> CodecError {
    CodecError::Version {
        found,
        expected: FORMAT_VERSION,
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
    fn an_older_format_is_read_by_its_own_decoder_and_an_unknown_one_refused() {
        // Format 8 wrote a `u32` where today's shape is `(u32, bool)`.
        let older = |found: u8, rest: &[u8]| {
            assert_eq!(found, OLDEST_FORMAT);
            from_bytes::<u32>(rest).map(|n| (n, false))
        };
        let mut old = encode(&7u32).unwrap();
        old[0] = OLDEST_FORMAT;
        assert_eq!(decode_since(&old, FORMAT_VERSION, older), Ok((7, false)));
        let today = encode(&(7u32, true)).unwrap();
        assert_eq!(decode_since(&today, FORMAT_VERSION, older), Ok((7, true)));
        // A shape unchanged since format 8 reads both versions directly.
        assert_eq!(decode::<u32>(&old), Ok(7));
        for found in [OLDEST_FORMAT - 1, FORMAT_VERSION + 1] {
            old[0] = found;
            assert_eq!(
                decode_since(&old, FORMAT_VERSION, older),
                Err(version_error(found))
            );
        }
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
