//! `lianfang notice` on a real data directory: a matter's notice on stdout and in a file,
//! refusals and a broken hall template, each with its Chinese message and exit code.

use std::path::Path;
use std::process::Output;

mod process_support;
mod support;
mod temp_data;

use lianfang::config::HallConfig;
use lianfang::domain::audit::AuditRecord;
use lianfang::domain::matter::Outcome;
use lianfang::hall::{HallExt, LocalHall};
use process_support::run;
use support::{nth_id, walk_in};
use temp_data::TempData;

#[track_caller]
fn assert_exit(o: &Output, code: i32) -> (String, String) {
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{out}\nstderr:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    (out, err)
}

/// A matter registered and accepted at the intake desk by the command line's own session;
/// returns its number. The hall is closed again so the binary can open the database.
fn accepted_matter(d: &Path) -> String {
    let hall = LocalHall::open(d, HallConfig::embedded()).unwrap();
    let system = hall.system_session().unwrap();
    let r = hall
        .register(&system, walk_in("甲一", &nth_id(1), "", "xfj"))
        .unwrap();
    hall.call_next(&system).unwrap();
    hall.finish(&system, Outcome::Accepted, "").unwrap();
    r.matter_number
}

#[test]
fn a_notice_goes_to_stdout_or_a_file_and_is_audited() {
    let dir = TempData::new();
    let d = dir.path();
    let number = accepted_matter(d);

    let (text, _) = assert_exit(
        &run(
            d,
            &["notice", "--matter", &number, "--kind", "受理告知书"],
            "",
        ),
        0,
    );
    assert!(text.contains(&format!("编号：{number}")), "{text}");
    assert!(text.contains("\n甲一：\n"), "{text}");
    assert!(text.contains("已于") && text.contains("依法受理"), "{text}");

    let file = d.join("受理.txt");
    let args = ["notice", "--matter", &number, "--kind", "accept", "--out"];
    let mut with_out: Vec<&str> = args.to_vec();
    with_out.push(file.to_str().unwrap());
    let (said, _) = assert_exit(&run(d, &with_out, ""), 0);
    assert!(said.contains(&file.display().to_string()), "{said}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);

    let hall = LocalHall::open(d, HallConfig::embedded()).unwrap();
    let audit: Vec<AuditRecord> = hall.store().all().map(Result::unwrap).collect();
    let issued = audit
        .iter()
        .filter(|a| a.officer == "system" && a.action == format!("生成受理告知书 事项 {number}"))
        .count();
    assert_eq!(issued, 2, "{audit:?}");
}

#[test]
fn refusals_and_bad_input_exit_with_1_and_say_why() {
    let dir = TempData::new();
    let d = dir.path();
    let number = accepted_matter(d);

    let (_, err) = assert_exit(
        &run(d, &["notice", "--matter", &number, "--kind", "reply"], ""),
        1,
    );
    assert!(err.contains("尚未办结答复，不能出具答复意见书"), "{err}");
    let (_, err) = assert_exit(
        &run(
            d,
            &["notice", "--matter", "2026-999999", "--kind", "reply"],
            "",
        ),
        1,
    );
    assert!(err.contains("找不到编号为 2026-999999 的事项"), "{err}");
    let (_, err) = assert_exit(
        &run(d, &["notice", "--matter", &number, "--kind", "letter"], ""),
        1,
    );
    assert!(err.contains("延期告知（extend）"), "{err}");

    // A broken hall template stops every command, naming the file and the line.
    let own = d.join(lianfang::notice::TEMPLATES_DIR);
    std::fs::create_dir(&own).unwrap();
    std::fs::write(own.join("refuse.txt"), "不予受理\n理由：{理由}\n").unwrap();
    let (_, err) = assert_exit(&run(d, &["check"], ""), 1);
    assert!(err.contains("refuse.txt 第 2 行"), "{err}");
    assert!(
        err.contains("{理由}") && err.contains("{不予受理理由}"),
        "{err}"
    );
}
