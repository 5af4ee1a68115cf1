//! Any config file: a checked config or an error naming the line, never a panic.
#![no_main]

use lianfang::config::HallConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match HallConfig::parse(text, "fuzz.toml") {
        Ok(config) => {
            assert!(!config.departments.is_empty());
            let _ = config.intake_department();
        }
        Err(e) => assert!(e.to_string().contains("fuzz.toml"), "{e}"),
    }
});
