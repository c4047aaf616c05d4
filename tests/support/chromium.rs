//! Headless Chromium for the review page's tests and benchmark (Debian package `chromium`,
//! installed by `./test.sh`). `None` when it is missing and not required
//! (`CROWFOOT_REQUIRE_DBS=1`, which CI sets, makes a missing browser a failure).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The first of `names` on the PATH, or `None` (with a message) when none is and the browser
/// is not required (`CROWFOOT_REQUIRE_DBS=1` makes it a failure naming the Debian `package`).
fn find(names: &[&str], package: &str) -> Option<PathBuf> {
    for name in names {
        if let Ok(out) = Command::new("which").arg(name).output()
            && out.status.success()
        {
            let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !p.is_empty() {
                return Some(PathBuf::from(p));
            }
        }
    }
    if std::env::var("CROWFOOT_REQUIRE_DBS").is_ok_and(|v| v == "1") {
        panic!(
            "{} is required (CROWFOOT_REQUIRE_DBS=1): apt-get install {package}",
            names[0]
        );
    }
    eprintln!("skipped: no {}", names[0]);
    None
}

/// Chromium's path, or `None` (with a message) when it is missing and not required.
pub fn chromium() -> Option<PathBuf> {
    find(
        &["chromium", "chromium-browser", "google-chrome"],
        "chromium",
    )
}

fn base(browser: &Path, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--window-size=1400,900",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn url(file: &Path, fragment: &str) -> String {
    let abs = std::fs::canonicalize(file).unwrap();
    // Percent-encode what a URL path cannot hold as it is.
    let mut path = String::new();
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            path.push(b as char);
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    let frag: String = fragment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"=&-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if frag.is_empty() {
        format!("file://{path}")
    } else {
        format!("file://{path}#{frag}")
    }
}

/// The DOM after the page's script ran (`--dump-dom`), opened with `#fragment`. With
/// `virtual_time`, timers and animation frames run for that many (virtual) milliseconds first.
pub fn dump_dom(browser: &Path, file: &Path, fragment: &str, virtual_time: Option<u32>) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut c = base(browser, profile.path());
    if let Some(ms) = virtual_time {
        c.arg(format!("--virtual-time-budget={ms}"));
    }
    c.arg("--dump-dom").arg(url(file, fragment));
    String::from_utf8_lossy(&run(c).stdout).into_owned()
}

/// Run the browser; panics with its error output when it fails.
fn run(mut c: Command) -> std::process::Output {
    let out = c.output().expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A screenshot (PNG bytes) of the page opened with `#fragment`.
pub fn screenshot(browser: &Path, file: &Path, fragment: &str) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let shot = profile.path().join("shot.png");
    let mut c = base(browser, profile.path());
    c.arg("--virtual-time-budget=3000")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(url(file, fragment));
    run(c);
    std::fs::read(&shot).expect("the screenshot")
}

/// The value of attribute `name` on the dumped page's `<html>` element.
pub fn root_attr(dom: &str, name: &str) -> Option<String> {
    let html = dom.split("<html").nth(1)?.split('>').next()?;
    let at = html.find(&format!(" {name}=\""))?;
    let rest = &html[at + name.len() + 3..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Firefox (Debian `firefox-esr`), like [`chromium`]: `None` when missing and not required.
pub fn firefox() -> Option<PathBuf> {
    find(&["firefox-esr", "firefox"], "firefox-esr")
}

/// A Firefox screenshot (PNG bytes) of the page opened with `#fragment`.
pub fn firefox_screenshot(browser: &Path, file: &Path, fragment: &str) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let shot = profile.path().join("shot.png");
    let out = Command::new(browser)
        .arg("--headless")
        .arg("--profile")
        .arg(profile.path())
        .args(["--window-size=1400,900", "--screenshot"])
        .arg(&shot)
        .arg(url(file, fragment))
        .env("MOZ_HEADLESS", "1")
        .output()
        .expect("run firefox");
    assert!(
        shot.exists(),
        "firefox made no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(&shot).expect("the screenshot")
}
