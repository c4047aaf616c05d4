//! `assets/`: the application icon (SVG and its PNGs), the freedesktop `crowfoot.desktop`
//! entry and the MIME type of project files. The desktop entry goes through
//! `desktop-file-validate` (Debian `desktop-file-utils`, installed by `./test.sh`; without it
//! this part says so and passes, unless `CROWFOOT_REQUIRE_DBS=1`, CI) and, always, through the
//! checks below; the PNGs must decode at their sizes and match what the SVG rasterizes to.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const SIZES: [u32; 7] = [16, 32, 48, 64, 128, 256, 512];

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets")
}

fn required() -> bool {
    std::env::var("CROWFOOT_REQUIRE_DBS").is_ok_and(|v| v == "1")
}

/// The `[Desktop Entry]` group's keys (a desktop file is an INI-like key file).
fn desktop_entry() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(assets().join("crowfoot.desktop")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("[Desktop Entry]"));
    let mut keys = BTreeMap::new();
    for line in lines.filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        assert!(!line.starts_with('['), "one group only: {line}");
        let (k, v) = line.split_once('=').expect("key=value");
        assert!(
            keys.insert(k.to_string(), v.to_string()).is_none(),
            "{k} twice"
        );
    }
    keys
}

#[test]
fn desktop_entry_is_valid() {
    match Command::new("desktop-file-validate")
        .arg(assets().join("crowfoot.desktop"))
        .output()
    {
        Ok(out) => assert!(
            out.status.success() && out.stdout.is_empty(),
            "desktop-file-validate: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) if required() => {
            panic!("desktop-file-validate missing (desktop-file-utils) and CROWFOOT_REQUIRE_DBS=1")
        }
        Err(_) => {
            eprintln!("skipped: desktop-file-validate missing (apt-get install desktop-file-utils)")
        }
    }
    let keys = desktop_entry();
    for (k, v) in [
        ("Type", "Application"),
        ("Name", "Crowfoot"),
        ("Exec", "crowfoot %f"),
        ("Icon", "crowfoot"),
        ("Terminal", "false"),
        ("Categories", "Development;Database;"),
        ("MimeType", "application/x-crowfoot-project;"),
        // The window's app id (src/ui/app.rs), so the dock shows this entry's icon.
        ("StartupWMClass", "crowfoot"),
    ] {
        assert_eq!(keys.get(k).map(String::as_str), Some(v), "{k}");
    }
    assert!(keys.contains_key("Comment"));
}

#[test]
fn mime_type_matches_the_desktop_entry_and_real_projects() {
    let text = std::fs::read_to_string(assets().join("crowfoot-mime.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "mime-info");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.freedesktop.org/standards/shared-mime-info")
    );
    let types: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("mime-type"))
        .collect();
    assert_eq!(types.len(), 1);
    let ty = types[0];
    let name = ty.attribute("type").unwrap();
    assert_eq!(
        desktop_entry()["MimeType"],
        format!("{name};"),
        "the desktop entry opens this type"
    );
    let child = |tag: &str| ty.children().find(|n| n.has_tag_name(tag));
    assert_eq!(
        child("sub-class-of").and_then(|n| n.attribute("type")),
        Some("text/plain")
    );
    let glob = child("glob").unwrap();
    assert_eq!(glob.attribute("pattern"), Some("*.ron"));
    // Below the default weight: not every RON file is a Crowfoot project.
    let weight: u32 = glob.attribute("weight").unwrap().parse().unwrap();
    assert!(weight < 50);
    // The magic: a string within a range of offsets; every example project must match it.
    let m = child("magic")
        .unwrap()
        .children()
        .find(|n| n.has_tag_name("match"))
        .unwrap();
    assert_eq!(m.attribute("type"), Some("string"));
    let value = m.attribute("value").unwrap();
    let (from, to) = m.attribute("offset").unwrap().split_once(':').unwrap();
    let (from, to): (usize, usize) = (from.parse().unwrap(), to.parse().unwrap());
    let projects = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects");
    let mut seen = 0;
    for entry in std::fs::read_dir(projects).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let head = &bytes[from..bytes.len().min(to + value.len())];
        assert!(
            head.windows(value.len()).any(|w| w == value.as_bytes()),
            "{}: no `{value}` within bytes {from}..{to}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 3);
    // A freshly written project too.
    let p = crowfoot::samples::hostile::build();
    let written = crowfoot::project_file::to_ron_string(&p);
    assert!(
        written.as_bytes()[..to.min(written.len())]
            .windows(value.len())
            .any(|w| w == value.as_bytes())
    );
}

/// An RGBA picture: width, height, pixels.
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn icon_pngs_decode_at_their_sizes_and_match_the_svg() {
    let dir = assets().join("icon");
    let svg = std::fs::read_to_string(dir.join("crowfoot.svg")).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).unwrap();
    for n in SIZES {
        let file = dir.join(format!("crowfoot-{n}.png"));
        let (w, h, px) = decode(&std::fs::read(&file).unwrap());
        assert_eq!((w, h), (n, n), "{}", file.display());
        // Opaque inside the rounded square, transparent in the corners.
        let alpha = |x: u32, y: u32| px[((y * n + x) * 4 + 3) as usize];
        assert_eq!(alpha(n / 2, n / 2), 255, "{n}: centre");
        assert_eq!(alpha(0, 0), 0, "{n}: corner");
        // The committed PNG is what the SVG rasterizes to (`cargo run --example make_icons`).
        let mut pixmap = resvg::tiny_skia::Pixmap::new(n, n).unwrap();
        let s = n as f32 / tree.size().width();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(s, s),
            &mut pixmap.as_mut(),
        );
        let (_, _, fresh) = decode(&pixmap.encode_png().unwrap());
        let off = px
            .iter()
            .zip(&fresh)
            .filter(|(a, b)| a.abs_diff(**b) > 2)
            .count();
        assert_eq!(off, 0, "{n}: stale; run `cargo run --example make_icons`");
    }
}

#[cfg(feature = "ui")]
#[test]
fn the_window_icon_is_the_embedded_256_png() {
    let icon = crowfoot::ui::app::window_icon().expect("the embedded icon decodes");
    assert_eq!((icon.width, icon.height), (256, 256));
    assert_eq!(icon.rgba.len(), 256 * 256 * 4);
}
