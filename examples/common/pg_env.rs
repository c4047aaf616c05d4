//! The PostgreSQL server of the advisor examples: `--db URL`, else `CROWFOOT_PG` as
//! `./test.sh` sets it (`host=… port=… user=…`), as a scratch-mode URL.

/// `--db URL` from the command line, else `postgres://user@host:port/postgres?scratch=1`
/// from `CROWFOOT_PG`.
pub fn db_url(args: &[String]) -> Option<String> {
    if let Some(i) = args.iter().position(|a| a == "--db") {
        return args.get(i + 1).cloned();
    }
    let text = std::env::var("CROWFOOT_PG").ok()?;
    let get = |k: &str| {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")).map(str::to_string))
    };
    Some(format!(
        "postgres://{}@{}:{}/postgres?scratch=1",
        get("user").unwrap_or_else(|| "postgres".into()),
        get("host").unwrap_or_else(|| "127.0.0.1".into()),
        get("port").unwrap_or_else(|| "5432".into())
    ))
}
