//! The SQLite peer: the same hall, the same lookups, the best schema we can
//! write — one index per lookup key, covering where it helps, WAL, prepared
//! statements. Lookups return the same rows the service returns: up to 20
//! visitors ranked by most recent visit.

use std::path::Path;

use lianfang::domain::matter::Matter;
use lianfang::domain::pinyin;
use lianfang::domain::visitor::Visitor;
use lianfang::store::Store;
use rusqlite::{params, Connection};

pub struct Peer {
    pub conn: Connection,
}

/// Set on every connection: the peer's cache is as large as the hall's.
const CONNECTION: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -65536;
";

const SCHEMA: &str = "
CREATE TABLE visitor (
    id INTEGER PRIMARY KEY,
    id_number TEXT,
    -- a legacy 15-digit number's 18-digit form, which lookups also find
    id18 TEXT,
    phone_rev TEXT,
    name TEXT NOT NULL,
    id_masked TEXT NOT NULL,
    phone_masked TEXT NOT NULL,
    visit_count INTEGER NOT NULL,
    last_visit INTEGER NOT NULL,
    open_matters INTEGER NOT NULL,
    departments TEXT NOT NULL,
    key_grade TEXT
);
CREATE TABLE term (
    kind INTEGER NOT NULL,
    term TEXT NOT NULL,
    visitor INTEGER NOT NULL,
    -- 1 for a rarer reading of a polyphonic name, ranked after the common one
    alt INTEGER NOT NULL,
    last_visit INTEGER NOT NULL,
    PRIMARY KEY (kind, term, visitor)
) WITHOUT ROWID;
CREATE TABLE matter (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    status TEXT NOT NULL,
    department TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE TABLE matter_visitor (
    matter INTEGER NOT NULL,
    visitor INTEGER NOT NULL,
    PRIMARY KEY (matter, visitor)
) WITHOUT ROWID;
CREATE TABLE visit (
    id INTEGER PRIMARY KEY,
    visitor INTEGER NOT NULL,
    matter INTEGER NOT NULL,
    at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    headcount INTEGER NOT NULL,
    department TEXT NOT NULL
);
CREATE TABLE ticket (
    id INTEGER PRIMARY KEY,
    department TEXT NOT NULL,
    label TEXT NOT NULL,
    ord INTEGER NOT NULL,
    visit INTEGER NOT NULL,
    waiting INTEGER NOT NULL
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    officer TEXT NOT NULL,
    action TEXT NOT NULL,
    matter INTEGER
);
";

/// Created after loading, as a real migration would: faster and more compact.
const INDEXES: &str = "
CREATE INDEX visitor_id_number ON visitor (id_number);
CREATE INDEX visitor_id18 ON visitor (id18);
CREATE INDEX visitor_phone_rev ON visitor (phone_rev);
CREATE INDEX visitor_name ON visitor (name, last_visit DESC);
CREATE UNIQUE INDEX matter_number ON matter (number);
CREATE INDEX visit_visitor ON visit (visitor, at);
CREATE INDEX ticket_queue ON ticket (department, waiting, ord);
";

pub const INITIALS: i64 = 1;
pub const PINYIN: i64 = 2;

/// The pinyin terms of a name, as the service indexes them: (kind, term, rarer reading).
pub fn pinyin_terms(name: &str) -> Vec<(i64, String, bool)> {
    let r = pinyin::readings(name);
    let mut out: Vec<(i64, String, bool)> = Vec::new();
    for (kind, terms) in [(INITIALS, r.initials), (PINYIN, r.full)] {
        out.extend(terms.into_iter().enumerate().map(|(i, t)| (kind, t, i > 0)));
    }
    out
}

pub fn rev(s: &str) -> String {
    s.chars().rev().collect()
}

impl Peer {
    pub fn create(path: &Path) -> rusqlite::Result<Peer> {
        let peer = Peer::open(path)?;
        peer.conn.execute_batch(SCHEMA)?;
        Ok(peer)
    }

    /// The peer a run created, from another process.
    pub fn open(path: &Path) -> rusqlite::Result<Peer> {
        let conn = Connection::open(path)?;
        conn.execute_batch(CONNECTION)?;
        Ok(Peer { conn })
    }

    pub fn load_from(&mut self, store: &Store) -> rusqlite::Result<u64> {
        let mut rows = 0;
        let tx = self.conn.transaction()?;
        {
            let mut ins_v =
                tx.prepare("INSERT INTO visitor VALUES (?1,?2,?12,?3,?4,?5,?6,?7,?8,?9,?10,?11)")?;
            let mut ins_t = tx.prepare("INSERT OR IGNORE INTO term VALUES (?1,?2,?3,?4,?5)")?;
            for v in store.all::<Visitor>() {
                let v = v.expect("stored visitor");
                let last = v.summary.last_visit.map_or(0, |t| t.0);
                ins_v.execute(params![
                    v.id as i64,
                    v.id_number.as_ref().map(|n| n.as_str().to_string()),
                    v.phone.as_ref().map(|p| rev(&p.digits())),
                    v.name.as_str(),
                    v.masked_id(),
                    v.masked_phone(),
                    v.summary.visit_count,
                    last,
                    v.summary.open_matters.len() as i64,
                    v.summary
                        .departments
                        .iter()
                        .map(|d| d.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    v.key_grade.map(|g| format!("{g:?}")),
                    v.id_number
                        .as_ref()
                        .filter(|n| n.is_legacy())
                        .map(|n| n.to_18().as_str().to_string()),
                ])?;
                for (kind, term, alt) in pinyin_terms(v.name.as_str()) {
                    ins_t.execute(params![kind, term, v.id as i64, alt, last])?;
                }
                rows += 1;
            }
            let mut ins_m = tx.prepare("INSERT INTO matter VALUES (?1,?2,?3,?4,?5)")?;
            let mut ins_mv = tx.prepare("INSERT OR IGNORE INTO matter_visitor VALUES (?1,?2)")?;
            for m in store.all::<Matter>() {
                let m = m.expect("stored matter");
                ins_m.execute(params![
                    m.id as i64,
                    m.number,
                    m.status.label(),
                    m.department.as_str(),
                    m.summary
                ])?;
                for v in &m.visitors {
                    ins_mv.execute(params![m.id as i64, *v as i64])?;
                }
                rows += 1;
            }
            let mut ins_visit = tx.prepare("INSERT INTO visit VALUES (?1,?2,?3,?4,?5,?6,?7)")?;
            for v in store.all::<lianfang::domain::visit::Visit>() {
                let v = v.expect("stored visit");
                ins_visit.execute(params![
                    v.id as i64,
                    v.visitor as i64,
                    v.matter as i64,
                    v.at.0,
                    v.channel.label(),
                    v.headcount,
                    v.department.as_str()
                ])?;
                rows += 1;
            }
        }
        tx.commit()?;
        self.conn.execute_batch(INDEXES)?;
        self.conn.execute_batch("ANALYZE;")?;
        Ok(rows)
    }
}

/// What a lookup row carries: the same fields as the service's `LookupHit`
/// (id, name, masked id, masked phone, visits, last visit, open matters,
/// departments, key grade), all read so the work is the same.
pub type Row = (
    i64,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    String,
    Option<String>,
);

const COLUMNS: &str =
    "v.id, v.name, v.id_masked, v.phone_masked, v.visit_count, v.last_visit, v.open_matters, v.departments, v.key_grade";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    IdNumber,
    IdPrefix,
    IdOrPhonePrefix,
    Phone,
    PhoneSuffix,
    Name,
    Initials,
    MatterNumber,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::IdNumber,
        Kind::IdOrPhonePrefix,
        Kind::IdPrefix,
        Kind::Phone,
        Kind::PhoneSuffix,
        Kind::Name,
        Kind::Initials,
        Kind::MatterNumber,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::IdNumber => "身份证号（完整）",
            Kind::IdPrefix => "身份证号前缀 9–10 位",
            Kind::IdOrPhonePrefix => "身份证号前缀 6–8 位（兼查电话尾号）",
            Kind::Phone => "电话（完整）",
            Kind::PhoneSuffix => "电话尾号 4 位",
            Kind::Name => "姓名",
            Kind::Initials => "拼音首字母 2–3 个",
            Kind::MatterNumber => "事项编号",
        }
    }

    fn sql(self) -> String {
        let ranked = "ORDER BY v.last_visit DESC, v.id LIMIT 20";
        match self {
            Kind::IdNumber => format!("SELECT {COLUMNS} FROM visitor v WHERE v.id_number = ?1 OR v.id18 = ?1 {ranked}"),
            // Eleven digits are a mobile number, or the start of an identity number:
            // the service searches both and ranks the phone first.
            Kind::Phone => format!(
                "SELECT {COLUMNS} FROM visitor v JOIN (\
                   SELECT id, MIN(k) AS k FROM (\
                     SELECT id, 0 AS k FROM visitor WHERE phone_rev = ?1 \
                     UNION ALL \
                     SELECT id, 1 AS k FROM visitor WHERE id_number >= ?2 AND id_number < ?3 \
                     UNION ALL \
                     SELECT id, 1 AS k FROM visitor WHERE id18 >= ?2 AND id18 < ?3\
                   ) GROUP BY id\
                 ) t ON t.id = v.id ORDER BY t.k, v.last_visit DESC, v.id LIMIT 20"
            ),
            Kind::IdPrefix => format!(
                "SELECT {COLUMNS} FROM visitor v WHERE (v.id_number >= ?1 AND v.id_number < ?2) \
                 OR (v.id18 >= ?1 AND v.id18 < ?2) {ranked}"
            ),
            // Six to eight digits may also be the end of a phone number: the service
            // searches both and ranks identity-number matches first.
            Kind::IdOrPhonePrefix => format!(
                "SELECT {COLUMNS} FROM visitor v JOIN (\
                   SELECT id, MIN(k) AS k FROM (\
                     SELECT id, 0 AS k FROM visitor WHERE id_number >= ?1 AND id_number < ?2 \
                     UNION ALL \
                     SELECT id, 0 AS k FROM visitor WHERE id18 >= ?1 AND id18 < ?2 \
                     UNION ALL \
                     SELECT id, 1 AS k FROM visitor WHERE phone_rev >= ?3 AND phone_rev < ?4\
                   ) GROUP BY id\
                 ) t ON t.id = v.id ORDER BY t.k, v.last_visit DESC, v.id LIMIT 20"
            ),
            Kind::PhoneSuffix => format!("SELECT {COLUMNS} FROM visitor v WHERE v.phone_rev >= ?1 AND v.phone_rev < ?2 {ranked}"),
            // Exact name first, then names that start with the text.
            Kind::Name => format!(
                "SELECT {COLUMNS} FROM visitor v WHERE v.name >= ?1 AND v.name < ?2 \
                 ORDER BY v.name <> ?1, v.last_visit DESC, v.id LIMIT 20"
            ),
            // Initials before full pinyin, whole terms before longer ones, common readings
            // before rare ones, as the service ranks them.
            Kind::Initials => format!(
                "SELECT {COLUMNS} FROM visitor v JOIN (\
                   SELECT visitor, MIN(kind * 4 + (term <> ?1) * 2 + alt) AS k FROM term \
                   WHERE kind IN (1, 2) AND term >= ?1 AND term < ?2 GROUP BY visitor\
                 ) t ON t.visitor = v.id ORDER BY t.k, v.last_visit DESC, v.id LIMIT 20"
            ),
            Kind::MatterNumber => format!(
                "SELECT {COLUMNS} FROM matter m JOIN matter_visitor mv ON mv.matter = m.id \
                 JOIN visitor v ON v.id = mv.visitor \
                 WHERE m.number >= ?1 AND m.number < ?2 {ranked}"
            ),
        }
    }
}

impl Peer {
    /// Runs one lookup the way the service would read `text` of this kind.
    pub fn lookup(&self, kind: Kind, text: &str) -> rusqlite::Result<Vec<Row>> {
        let mut stmt = self.conn.prepare_cached(&kind.sql())?;
        let key = match kind {
            Kind::Phone | Kind::PhoneSuffix => rev(text),
            _ => text.to_string(),
        };
        let upper = format!("{key}\u{FFFF}");
        let map = |r: &rusqlite::Row| -> rusqlite::Result<Row> {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        };
        let rows = if kind == Kind::IdNumber {
            stmt.query_map(params![key], map)?.collect()
        } else if kind == Kind::Phone {
            let id_upper = format!("{text}\u{FFFF}");
            stmt.query_map(params![key, text, id_upper], map)?.collect()
        } else if kind == Kind::IdOrPhonePrefix {
            let phone = rev(text);
            let phone_upper = format!("{phone}\u{FFFF}");
            stmt.query_map(params![key, upper, phone, phone_upper], map)?
                .collect()
        } else {
            stmt.query_map(params![key, upper], map)?.collect()
        };
        rows
    }

    /// The rows a registration writes, in one durable transaction
    /// (synchronous = FULL): the durable equivalent of the service's flush.
    pub fn register(&mut self, r: &PeerRegistration) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            tx.prepare_cached(
                "INSERT INTO visitor VALUES (?1,?2,NULL,?3,?4,?5,?6,1,?7,1,?8,NULL) \
                 ON CONFLICT(id) DO UPDATE SET visit_count = visit_count + 1, last_visit = ?7",
            )?
            .execute(params![
                r.visitor,
                r.id_number,
                r.phone_rev,
                r.name,
                r.id_masked,
                r.phone_masked,
                r.at,
                r.department
            ])?;
            let mut t = tx.prepare_cached("INSERT OR REPLACE INTO term VALUES (?1,?2,?3,?4,?5)")?;
            for (kind, term, alt) in &r.terms {
                t.execute(params![kind, term, r.visitor, alt, r.at])?;
            }
            tx.prepare_cached("INSERT INTO matter VALUES (?1,?2,'登记',?3,?4)")?
                .execute(params![r.matter, r.matter_number, r.department, r.summary])?;
            tx.prepare_cached("INSERT INTO matter_visitor VALUES (?1,?2)")?
                .execute(params![r.matter, r.visitor])?;
            tx.prepare_cached("INSERT INTO visit VALUES (?1,?2,?3,?4,'走访',1,?5)")?
                .execute(params![r.visit, r.visitor, r.matter, r.at, r.department])?;
            tx.prepare_cached("INSERT INTO ticket VALUES (?1,?2,?3,?4,?5,1)")?
                .execute(params![
                    r.visit,
                    r.department,
                    r.ticket_label,
                    r.visit,
                    r.visit
                ])?;
            tx.prepare_cached("INSERT INTO audit VALUES (?1,?2,'bench',?3,?4)")?
                .execute(params![r.visit, r.at, r.ticket_label, r.matter])?;
        }
        tx.commit()
    }
}

pub struct PeerRegistration {
    pub visitor: i64,
    pub id_number: String,
    pub phone_rev: String,
    pub name: String,
    pub id_masked: String,
    pub phone_masked: String,
    pub terms: Vec<(i64, String, bool)>,
    pub matter: i64,
    pub matter_number: String,
    pub summary: String,
    pub visit: i64,
    pub at: i64,
    pub department: String,
    pub ticket_label: String,
}
