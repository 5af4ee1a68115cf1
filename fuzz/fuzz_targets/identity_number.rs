//! Any text typed into the identity field: a number or a Chinese error, never a panic;
//! what parses is well formed and parses again to itself.
#![no_main]

use lianfang::domain::identity::{normalize_query, IdNumber};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = normalize_query(text);
    match IdNumber::parse(text) {
        Ok(id) => {
            let s = id.as_str();
            assert!(s.len() == 18 || s.len() == 15, "{s}");
            assert_eq!(IdNumber::parse(s).as_ref(), Ok(&id));
            let _ = (id.birth_date(), id.sex(), id.province(), id.region_code());
            assert_eq!(id.masked().chars().count(), s.len());
            let long = id.to_18();
            assert_eq!(IdNumber::parse(long.as_str()).as_ref(), Ok(&long));
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
