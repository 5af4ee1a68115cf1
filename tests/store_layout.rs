//! A data directory written by the previous key layout (3, before the ledger's date
//! indexes) opens: the date indexes are added once, and `check` finds them complete.

mod support;

use lianfang::config::HallConfig;
use lianfang::domain::officer::Role;
use lianfang::hall::{Hall, HallExt, LocalHall};
use lianfang::store::keys::TreeId;
use lianfang::store::{Store, LAYOUT};
use support::*;

#[test]
fn a_layout_3_store_gains_the_date_indexes_at_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
        add_officer(&hall, "reg", Role::Registrar, "xfj");
        let token = hall.login("reg", PASSWORD, "d").unwrap().token;
        hall.register(&token, walk_in("张三", &nth_id(1), "", "rs"))
            .unwrap();
    }
    // What layout 3 looked like: no date indexes, stamped 3.
    {
        let db = sled::open(dir.path().join("db")).unwrap();
        for tree in ["ix_visit_date", "ix_matter_date"] {
            db.open_tree(tree).unwrap().clear().unwrap();
        }
        db.open_tree("meta")
            .unwrap()
            .insert("store.layout", &3u32.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(&dir.path().join("db"), 16).expect("layout 3 opens");
    let all = |tree| store.keys_between(tree, &[], &[0xff; 9], 10).unwrap();
    assert_eq!(all(TreeId::IxVisitDate).len(), 1);
    assert_eq!(all(TreeId::IxMatterDate).len(), 1);
    assert_consistent(&store);
    drop(store);
    // Stamped with the current layout: the next open does not rebuild.
    let db = sled::open(dir.path().join("db")).unwrap();
    let stamp = db
        .open_tree("meta")
        .unwrap()
        .get("store.layout")
        .unwrap()
        .unwrap();
    assert_eq!(stamp.as_ref(), LAYOUT.to_be_bytes());
}
