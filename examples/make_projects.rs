//! Regenerate the sample project files from `crowfoot::samples`:
//! `projects/{social,legacy,shop,saas,saas-unsharded}.ron` and `tests/fixtures/hostile.ron`.
//!
//! Run from the crate root: `cargo run --example make_projects`.

use crowfoot::model::Project;
use crowfoot::samples;
use std::path::Path;

type Build = fn() -> Project;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let outputs: [(&str, Build); 6] = [
        ("projects/social.ron", samples::social::build),
        ("projects/legacy.ron", samples::legacy::build),
        ("projects/shop.ron", samples::shop::build),
        ("projects/saas.ron", samples::saas::build),
        (
            "projects/saas-unsharded.ron",
            samples::saas::build_unsharded,
        ),
        ("tests/fixtures/hostile.ron", samples::hostile::build),
    ];
    for (rel, build) in outputs {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create output directory");
        }
        let project = build();
        crowfoot::project_file::save(&project, &path).unwrap_or_else(|e| panic!("{e}"));
        // The atomic save keeps the previous file as NAME.ron.bak; a generated file needs none.
        let _ = std::fs::remove_file(crowfoot::project_file::backup_path(&path));
        println!(
            "{rel}: {} tables, {} foreign keys",
            project.table_count(),
            project.foreign_key_count()
        );
    }
}
