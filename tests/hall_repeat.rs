//! Repeat and closed matters through `LocalHall`: one waiting ticket per visitor and
//! department, visits on a 终结 matter (不再受理), and repeat candidates (同人+同事).

mod support;

use lianfang::domain::officer::Role;
use lianfang::domain::registration::MatterChoice;
use lianfang::hall::HallExt;
use support::*;

#[test]
fn a_visitor_waiting_at_a_department_is_not_given_a_second_ticket() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let first = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    assert_eq!(first.ticket_label, "人社-001");

    // Known by the number, or picked from the lookup: refused either way, nothing written.
    let before = t.snapshot();
    let mut picked = walk_in("张三", "", "", "rs");
    picked.no_document = true;
    picked.visitor = Some(first.visitor);
    for input in [walk_in("张三", &nth_id(1), "", "rs"), picked] {
        let message = conflict(t.hall.register(&reg, input));
        assert!(message.contains("人社-001"), "{message}");
        assert!(message.contains("张三"), "{message}");
        assert!(message.contains("人力资源和社会保障局"), "{message}");
        assert_eq!(t.snapshot(), before);
    }

    // Another department's queue is another matter.
    let zj = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "zj"))
        .unwrap();
    assert_eq!(zj.ticket_label, "住建-001");
    // Someone else is not held up by 张三's ticket.
    t.hall
        .register(&reg, walk_in("李四", &nth_id(2), "", "rs"))
        .unwrap();

    // Once called to the window the ticket no longer waits: a new one may be issued.
    t.hall.call_next(&rs).unwrap();
    let mut again = walk_in("张三", &nth_id(1), "", "rs");
    again.matter = MatterChoice::Attach(first.matter);
    let second = t.hall.register(&reg, again).unwrap();
    assert_eq!(second.ticket_label, "人社-003");
    t.assert_consistent();
}
