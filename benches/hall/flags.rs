//! The benchmarks' command-line numbers: `--flag N`, with `_` allowed as a digit separator.

/// The number after `flag` in `argv`, if there is one.
pub fn number(argv: &[String], flag: &str) -> Option<u64> {
    argv.iter()
        .position(|x| x == flag)
        .and_then(|i| argv.get(i + 1))
        .and_then(|v| v.replace('_', "").parse::<u64>().ok())
}
