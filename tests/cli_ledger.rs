//! `lianfang export` and `lianfang import` as the real binary runs them: a demo hall
//! exported, checked with --dry-run, refused without confirmation, then imported.

use std::path::Path;
use std::process::Output;

mod process_support;
mod temp_data;

use process_support::run;
use temp_data::TempData;

fn text(o: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[track_caller]
fn exits(o: &Output, code: i32) -> String {
    let t = text(o);
    assert_eq!(o.status.code(), Some(code), "{t}");
    assert!(!t.contains("panicked"), "{t}");
    t
}

fn visits_in(dir: &Path) -> usize {
    let hall = lianfang::hall::LocalHall::open(dir, lianfang::config::HallConfig::embedded())
        .expect("hall opens");
    hall.store().all::<lianfang::domain::visit::Visit>().count()
}

#[test]
fn a_demo_hall_goes_out_to_a_file_and_into_another_hall_only_when_confirmed() {
    let source = TempData::new();
    let target = TempData::new();
    let files = tempfile::tempdir().unwrap();
    exits(&run(source.path(), &["demo", "--visitors", "30"], ""), 0);
    let file = files.path().join("台账.csv");
    let file = file.to_str().unwrap();
    let range = ["--from", "2000-01-01", "--to", "2100-12-31"];
    let masked = exits(
        &run(
            source.path(),
            &[&["export", "--out", file][..], &range].concat(),
            "",
        ),
        0,
    );
    assert!(
        masked.contains("身份证号码已打码") && masked.contains("秒）"),
        "the officer sees how long the export took: {masked}"
    );
    // A masked ledger cannot say who came: every row with a number is refused.
    let dry = exits(&run(target.path(), &["import", file, "--dry-run"], ""), 0);
    assert!(dry.contains("打码"), "{dry}");

    let full = exits(
        &run(
            source.path(),
            &[&["export", "--full-id", "--out", file][..], &range].concat(),
            "",
        ),
        0,
    );
    assert!(full.contains("已记入审计"), "{full}");
    let dry = exits(&run(target.path(), &["import", file, "--dry-run"], ""), 0);
    assert!(
        dry.contains("0 行有误") && dry.contains("没有写入"),
        "{dry}"
    );
    // No terminal to ask on and no --yes: nothing is written.
    let refused = exits(&run(target.path(), &["import", file], ""), 1);
    assert!(refused.contains("--yes"), "{refused}");
    assert_eq!(visits_in(target.path()), 0);
    let done = exits(&run(target.path(), &["import", file, "--yes"], ""), 0);
    assert!(done.contains("0 行以前导入过"), "{done}");
    assert_eq!(visits_in(target.path()), visits_in(source.path()));

    let bad = exits(
        &run(
            source.path(),
            &[&["export", "--out", "x.pdf"][..], &range].concat(),
            "",
        ),
        1,
    );
    assert!(bad.contains("xlsx"), "{bad}");
}
