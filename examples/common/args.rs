//! Command-line numbers of the benchmark examples (`--tables 5000`, `--runs 9`).

/// The number after `name` in `args`, else `default` (also when it does not parse).
pub fn number(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}
