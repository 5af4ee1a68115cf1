//! `cargo bench --bench hall -- [--visitors N] [--queries Q] [--cache-mb M] [--export-only]`
//!
//! Builds a generated hall (the `demo` generator) and measures it through the
//! service, side by side with an indexed SQLite peer holding the same data,
//! printing ratios measured in the same run. Timings are reported, never
//! asserted: the CI smoke run (`--visitors 20000`) fails only if something breaks.

mod desk;
mod export;
mod flags;
mod fresh;
mod peer;
#[path = "../../tests/process_support/mod.rs"]
mod process_support;
#[path = "../../tests/pty_support/mod.rs"]
mod pty_support;
mod statistics;
mod stats;
#[path = "../../tests/tui_support/mod.rs"]
mod tui_support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::{Arc, Barrier};
use std::time::Instant;

use lianfang::config::HallConfig;
use lianfang::demo::{self, DemoOptions};
use lianfang::domain::matter::{Category, Matter};
use lianfang::domain::registration::{MatterChoice, NewMatter, RegistrationInput};
use lianfang::domain::ticket::Ticket;
use lianfang::domain::time::Timestamp;
use lianfang::domain::visit::Channel;
use lianfang::domain::visitor::Visitor;
use lianfang::hall::{Hall, HallExt, LocalHall, SessionToken};
use lianfang::net::RemoteHall;
use lianfang::store::keys::{self, TreeId};
use peer::{Kind, Peer, PeerRegistration};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use stats::{fmt_duration, ratio, Summary};

struct Args {
    visitors: u64,
    queries: usize,
    registrations: usize,
    idle_seconds: u64,
    /// Sled's cache for every process that opens the hall, written into the hall's
    /// own config; the embedded config's otherwise.
    cache_mb: Option<u64>,
    /// Build the hall and measure only the ledger export.
    export_only: bool,
}

fn args() -> Args {
    let mut a = Args {
        visitors: 1_000_000,
        queries: 10_000,
        registrations: 2_000,
        idle_seconds: 60,
        cache_mb: None,
        export_only: false,
    };
    let argv: Vec<String> = std::env::args().collect();
    let value = |flag: &str| flags::number(&argv, flag);
    if let Some(n) = value("--visitors") {
        a.visitors = n.max(100);
    }
    if let Some(q) = value("--queries") {
        a.queries = q.max(10) as usize;
    }
    if let Some(r) = value("--registrations") {
        a.registrations = r.max(10) as usize;
    }
    if let Some(s) = value("--idle-seconds") {
        a.idle_seconds = s.max(1);
    }
    a.cache_mb = value("--cache-mb");
    a.export_only = argv.iter().any(|x| x == "--export-only");
    a
}

/// The config every process of the benchmark opens the hall with: the hall's own
/// `lianfang.toml` when the run wrote one (`--cache-mb`), as `lianfang serve` reads it.
pub fn hall_config(hall_dir: &Path) -> HallConfig {
    let own = hall_dir.join("lianfang.toml");
    if own.exists() {
        HallConfig::load(&own).expect("the benchmark's hall config")
    } else {
        HallConfig::embedded()
    }
}

/// Writes the embedded config with sled's cache set to `cache_mb` into the hall's
/// directory, where the server, the desk and the fresh processes read it.
fn write_cache_config(hall_dir: &Path, cache_mb: u64) {
    let default = "cache_mb = 64\n";
    let text = lianfang::config::DEFAULT_TOML;
    assert!(
        text.contains(default),
        "the embedded config no longer says {default:?}"
    );
    std::fs::create_dir_all(hall_dir).expect("hall dir");
    std::fs::write(
        hall_dir.join("lianfang.toml"),
        text.replace(default, &format!("cache_mb = {cache_mb}\n")),
    )
    .expect("write the hall config");
}

fn main() {
    // As the `lianfang` binary does, so the builder's memory is measured as `demo` runs.
    lianfang::allocator::keep_large_blocks_out_of_the_heap();
    // A fresh process that only opens the hall and runs one lookup.
    if let Ok(dir) = std::env::var("LIANFANG_BENCH_OPEN") {
        open_child(Path::new(&dir));
        return;
    }
    if let Ok(arg) = std::env::var(export::CHILD_ENV) {
        export::child(&arg);
        return;
    }
    if let Ok(work) = std::env::var(fresh::CHILD_ENV) {
        fresh::child(Path::new(&work));
        return;
    }
    let args = args();
    let work = tempfile::Builder::new()
        .prefix("lianfang-bench")
        .tempdir()
        .expect("temp dir");
    let hall_dir = work.path().join("hall");
    println!("# lianfang 基准测试 / benchmark");
    println!();
    println!(
        "visitors = {}, queries per kind = {}, registrations = {}; {} cores; data in {}",
        args.visitors,
        args.queries,
        args.registrations,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        work.path().display()
    );
    println!("{}", stats::page_cache());

    if let Some(mb) = args.cache_mb {
        write_cache_config(&hall_dir, mb);
    }
    let config = hall_config(&hall_dir);
    println!("sled cache {} MiB in every process", config.cache_mb);
    let started = Instant::now();
    let hall = Arc::new(LocalHall::open(&hall_dir, config.clone()).expect("open hall"));
    demo::create_accounts(&hall).expect("demo accounts");
    let stats = demo::populate(
        &hall,
        &DemoOptions {
            visitors: args.visitors,
            seed: 7,
            now: Timestamp::now(),
        },
    )
    .expect("populate");
    println!(
        "\nbuilt: {} visitors, {} visits, {} matters in {:.1} s; peak RSS so far {:.0} MiB",
        stats.visitors,
        stats.visits,
        stats.matters,
        started.elapsed().as_secs_f64(),
        stats::peak_rss_mib()
    );
    if args.export_only {
        drop(hall);
        export::section(&hall_dir);
        return;
    }

    let started = Instant::now();
    let mut peer = Peer::create(&work.path().join("peer.sqlite")).expect("sqlite");
    let rows = peer.load_from(hall.store()).expect("load sqlite");
    println!(
        "SQLite peer: {rows} rows loaded and indexed in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let admin = hall
        .login("admin", demo::DEMO_PASSWORD, "bench")
        .expect("login");
    let token = admin.token.clone();
    let mut rng = StdRng::seed_from_u64(11);
    let samples = sample_queries(&hall, args.visitors, args.queries, &mut rng);

    fresh::save_queries(work.path(), &samples).expect("save the queries");

    println!("\n## Lookups through the service vs SQLite (first 20, ranked)\n");
    println!(
        "In the process that has just built the hall; measured again in a fresh process below.\n"
    );
    lookup_table(&hall, &token, &peer, &samples);
    let mut agreement = Vec::new();
    for (kind, texts) in &samples {
        // Both sides must return the same visitors in the same order.
        let same = texts
            .iter()
            .filter(|t| {
                let a: Vec<i64> = hall
                    .lookup(&token, t, 20)
                    .expect("lookup")
                    .iter()
                    .map(|h| h.visitor as i64)
                    .collect();
                let b: Vec<i64> = peer
                    .lookup(*kind, t)
                    .expect("sqlite")
                    .iter()
                    .map(|r| r.0)
                    .collect();
                if a != b && std::env::var("BENCH_DEBUG").is_ok() {
                    eprintln!("{t}: {a:?} vs {b:?}");
                }
                a == b
            })
            .count();
        agreement.push((kind.label(), same, texts.len()));
    }
    println!();
    let mut disagreements = 0;
    for (label, same, n) in agreement {
        println!("- {label}: lianfang and SQLite returned the same 20 visitors in the same order for {same} of {n} queries");
        disagreements += n - same;
    }

    let mut picker = Picker::new(&hall);
    register_section(
        &hall,
        &token,
        &mut peer,
        args.registrations,
        &mut picker,
        &mut rng,
    );
    queue_section(&hall, args.registrations.min(500));
    statistics::section(&hall, &token, args.visitors);
    let names: Vec<String> = samples
        .iter()
        .find(|(k, _)| *k == Kind::Name)
        .map(|(_, v)| v.iter().take(200).cloned().collect())
        .unwrap_or_default();
    desk::render_section(
        hall.clone(),
        names.first().map_or("王伟", String::as_str),
        1000,
    );

    // The server as a hall runs it: `lianfang serve`, its own process, over this data.
    let clients = visitors_for_clients(&hall, args.registrations, &mut picker, &mut rng);
    println!(
        "\npeak RSS of this process (builder, SQLite peer, in-process measurements): {:.0} MiB",
        stats::peak_rss_mib()
    );
    drop(hall);
    let server = process_support::Server::start(&hall_dir);
    let acked = loopback_section(&server.addr, &clients);
    let remote = RemoteHall::connect(&server.addr).expect("connect");
    desk::client_section(
        &remote,
        &server.addr,
        &work.path().join("desk-logs"),
        &names,
        std::time::Duration::from_secs(args.idle_seconds),
    );
    drop(remote);
    let server_rss = desk::peak_rss_kib(server.child.id()) as f64 / 1024.0;
    let (status, _) = server.terminate();
    println!(
        "\n**peak RSS of the server process** (`lianfang serve`, {CLIENTS} desks registering, then the desk client): {server_rss:.0} MiB; exit on SIGTERM: {status}"
    );
    let hall = LocalHall::open(&hall_dir, config.clone()).expect("reopen hall");
    check_acknowledged(&hall, &acked);

    let disk_ours = stats::dir_size(&hall_dir);
    let disk_peer = stats::dir_size(work.path()) - disk_ours;
    drop(hall);
    drop(peer);
    println!("\n## Size and start-up\n");
    println!(
        "| disk | lianfang {:.0} MiB | SQLite {:.0} MiB | ratio {:.2} |",
        disk_ours as f64 / 1048576.0,
        disk_peer as f64 / 1048576.0,
        disk_ours as f64 / disk_peer.max(1) as f64
    );
    open_section(&hall_dir);
    fresh::section(work.path());
    export::section(&hall_dir);
    println!(
        "\npeak RSS of this process: {:.0} MiB",
        stats::peak_rss_mib()
    );
    // Different answers mean the ranking broke: that fails the run, a slow timing never does.
    if disagreements > 0 {
        eprintln!("lookup results differ from the SQLite peer in {disagreements} queries (BENCH_DEBUG=1 lists them)");
        std::process::exit(1);
    }
}

/// Times every sampled lookup on both sides and prints a row per kind.
fn lookup_table(
    hall: &LocalHall,
    token: &SessionToken,
    peer: &Peer,
    samples: &[(Kind, Vec<String>)],
) {
    println!(
        "| query | n | lianfang p50 | p99 | max | SQLite p50 | p99 | max | ratio p50 | ratio p99 |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (kind, texts) in samples {
        let ours = stats::time_each(texts, |t| {
            hall.lookup(token, t, 20).expect("lookup");
        });
        let theirs = stats::time_each(texts, |t| {
            peer.lookup(*kind, t).expect("sqlite lookup");
        });
        row(kind.label(), &ours, &theirs);
    }
}

fn row(label: &str, ours: &Summary, theirs: &Summary) {
    println!(
        "| {label} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        ours.count,
        fmt_duration(ours.p50),
        fmt_duration(ours.p99),
        fmt_duration(ours.max),
        fmt_duration(theirs.p50),
        fmt_duration(theirs.p99),
        fmt_duration(theirs.max),
        ratio(ours.p50, theirs.p50),
        ratio(ours.p99, theirs.p99),
    );
}

/// Query texts of every kind, drawn from random stored visitors and matters.
fn sample_queries(
    hall: &LocalHall,
    visitors: u64,
    n: usize,
    rng: &mut StdRng,
) -> Vec<(Kind, Vec<String>)> {
    let mut out: Vec<(Kind, Vec<String>)> = Kind::ALL
        .iter()
        .map(|k| (*k, Vec::with_capacity(n)))
        .collect();
    let matters = hall.store().counter("seq.matter").unwrap_or(0).max(1);
    let mut guard = 0;
    while out.iter().any(|(_, v)| v.len() < n) && guard < n * 50 {
        guard += 1;
        let id = rng.gen_range(1..=visitors);
        let Ok(Some(v)) = hall.store().get_id::<Visitor>(id) else {
            continue;
        };
        for (kind, texts) in out.iter_mut() {
            if texts.len() >= n {
                continue;
            }
            let text = match kind {
                Kind::IdNumber => v
                    .id_number
                    .as_ref()
                    .filter(|i| !i.is_legacy())
                    .map(|i| i.as_str().to_string()),
                Kind::IdOrPhonePrefix => v
                    .id_number
                    .as_ref()
                    .map(|i| i.as_str()[..rng.gen_range(6..=8)].to_string()),
                Kind::IdPrefix => v
                    .id_number
                    .as_ref()
                    .map(|i| i.as_str()[..rng.gen_range(9..=10)].to_string()),
                Kind::Phone => v
                    .phone
                    .as_ref()
                    .filter(|p| p.is_mobile())
                    .map(|p| p.digits()),
                Kind::PhoneSuffix => v.phone.as_ref().map(|p| {
                    let d = p.digits();
                    d[d.len() - 4..].to_string()
                }),
                Kind::Name => Some(v.name.as_str().to_string()),
                Kind::Initials => {
                    let r = lianfang::domain::pinyin::readings(v.name.as_str());
                    r.initials
                        .first()
                        .filter(|i| (2..=3).contains(&i.len()))
                        .cloned()
                }
                Kind::MatterNumber => {
                    let mid = rng.gen_range(1..=matters);
                    hall.store()
                        .get_id::<Matter>(mid)
                        .ok()
                        .flatten()
                        .map(|m| m.number)
                }
            };
            texts.extend(text);
        }
    }
    out
}

/// Picks visitors to register again: each once, and none already waiting in a
/// queue (the service gives nobody a second ticket).
struct Picker {
    taken: HashSet<u64>,
    max_visitor: u64,
}

impl Picker {
    fn new(hall: &LocalHall) -> Picker {
        let store = hall.store();
        let taken = store
            .scan(TreeId::IxQueue, b"", usize::MAX)
            .expect("queue index")
            .into_iter()
            .filter_map(|(_, ticket)| keys::trailing_id(&ticket))
            .filter_map(|t| store.get_id::<Ticket>(t).ok().flatten())
            .map(|t| t.visitor)
            .collect();
        Picker {
            taken,
            max_visitor: store.counter("seq.visitor").unwrap_or(1),
        }
    }

    fn pick(&mut self, hall: &LocalHall, n: usize, rng: &mut StdRng) -> Vec<Visitor> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let id = rng.gen_range(1..=self.max_visitor);
            if self.taken.contains(&id) {
                continue;
            }
            if let Ok(Some(v)) = hall.store().get_id::<Visitor>(id) {
                self.taken.insert(id);
                out.push(v);
            }
        }
        out
    }
}

fn register_section(
    hall: &LocalHall,
    token: &SessionToken,
    peer: &mut Peer,
    n: usize,
    picker: &mut Picker,
    rng: &mut StdRng,
) {
    let inputs = picker.pick(hall, n, rng);
    let ours = stats::time_each(&inputs, |v| {
        hall.register(token, registration(v)).expect("register");
    });
    let base = 10_000_000_i64;
    let mut i = 0;
    let theirs = stats::time_each(&inputs, |v| {
        i += 1;
        let r = PeerRegistration {
            visitor: v.id as i64,
            id_number: v
                .id_number
                .as_ref()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
            phone_rev: v
                .phone
                .as_ref()
                .map(|p| peer::rev(&p.digits()))
                .unwrap_or_default(),
            name: v.name.as_str().to_string(),
            id_masked: v.masked_id(),
            phone_masked: v.masked_phone(),
            terms: peer::pinyin_terms(v.name.as_str()),
            matter: base + i,
            matter_number: format!("B-{i:08}"),
            summary: "基准测试登记的事项".into(),
            visit: base + i,
            at: Timestamp::now().0,
            department: "rs".into(),
            ticket_label: format!("人社-{i:03}"),
        };
        peer.register(&r).expect("sqlite register");
    });
    println!("\n## Register a visit, durable (flush / synchronous = FULL)\n");
    println!("| measure | n | lianfang p50 | p99 | max | SQLite p50 | p99 | max | ratio p50 | ratio p99 |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    row("register a visit", &ours, &theirs);
}

const CLIENTS: usize = 20;

/// The visitors each desk registers again, picked at random from the hall.
fn visitors_for_clients(
    hall: &LocalHall,
    total: usize,
    picker: &mut Picker,
    rng: &mut StdRng,
) -> Vec<Vec<Visitor>> {
    let per_client = (total / CLIENTS).max(1);
    (0..CLIENTS)
        .map(|_| picker.pick(hall, per_client, rng))
        .collect()
}

/// Twenty desks registering at once through the server over loopback. Returns
/// the visits the server acknowledged.
fn loopback_section(addr: &str, work: &[Vec<Visitor>]) -> Vec<u64> {
    // Connecting and logging in (argon2) happen before the clock starts.
    let start = Barrier::new(work.len() + 1);
    let (acked, elapsed) = std::thread::scope(|scope| {
        let handles: Vec<_> = work
            .iter()
            .map(|list| {
                let start = &start;
                scope.spawn(move || {
                    let desk = RemoteHall::connect(addr).expect("connect");
                    let s = desk
                        .login("dengji", demo::DEMO_PASSWORD, "")
                        .expect("login");
                    start.wait();
                    list.iter()
                        .filter_map(|v| desk.register(&s.token, registration(v)).ok())
                        .map(|r| r.visit)
                        .collect::<Vec<u64>>()
                })
            })
            .collect();
        start.wait();
        let started = Instant::now();
        let acked: Vec<u64> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("client"))
            .collect();
        (acked, started.elapsed())
    });
    println!("\n## Sustained registrations, {CLIENTS} desks over loopback\n");
    println!(
        "{} acknowledged of {} sent in {:.2} s = **{:.0} registrations/s**",
        acked.len(),
        work.iter().map(Vec::len).sum::<usize>(),
        elapsed.as_secs_f64(),
        acked.len() as f64 / elapsed.as_secs_f64()
    );
    let sent: usize = work.iter().map(Vec::len).sum();
    if acked.len() < sent {
        eprintln!(
            "{} registrations over loopback were refused or failed",
            sent - acked.len()
        );
        std::process::exit(1);
    }
    acked
}

/// Every visit the server acknowledged is in the store it left behind.
fn check_acknowledged(hall: &LocalHall, acked: &[u64]) {
    let missing = acked
        .iter()
        .filter(|id| {
            !matches!(
                hall.store().get_id::<lianfang::domain::visit::Visit>(**id),
                Ok(Some(_))
            )
        })
        .count();
    println!("acknowledged but missing from the store after the server stopped: {missing}");
    if missing > 0 {
        eprintln!("{missing} acknowledged registrations are missing");
        std::process::exit(1);
    }
}

fn registration(v: &Visitor) -> RegistrationInput {
    RegistrationInput {
        visitor: Some(v.id),
        id_number: v
            .id_number
            .as_ref()
            .map(|n| n.as_str().to_string())
            .unwrap_or_default(),
        no_document: v.id_number.is_none(),
        name: v.name.as_str().to_string(),
        phone: String::new(),
        address: String::new(),
        channel: Channel::Walkin,
        headcount: 1,
        representatives: Vec::new(),
        matter: MatterChoice::New(NewMatter {
            category: Category::Claim,
            content_class: "劳动社保".into(),
            place: "本市".into(),
            summary: "基准测试登记的事项".into(),
            demands: String::new(),
            accused: String::new(),
            accused_department: None,
        }),
        department: lianfang::domain::department::DeptCode::new("rs"),
        facts: Default::default(),
    }
}

/// Call next and the queue query, with the tickets the registrations left waiting.
fn queue_section(hall: &LocalHall, n: usize) {
    let window = demo::accounts(hall.config())
        .into_iter()
        .find(|(o, _)| {
            o.department.as_str() == "rs" && o.role == lianfang::domain::officer::Role::Window
        })
        .map(|(o, _)| o.username)
        .expect("a demo window account for 人社");
    let s = hall
        .login(&window, demo::DEMO_PASSWORD, "bench-rs")
        .expect("login window");
    let mut queue = Vec::with_capacity(n);
    let mut again = Vec::with_capacity(n);
    let mut calls = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        hall.queue(&s.token).expect("queue");
        queue.push(start.elapsed());
        // Every desk asks after each change; the first builds the view.
        let start = Instant::now();
        hall.queue(&s.token).expect("queue");
        again.push(start.elapsed());
        let start = Instant::now();
        if hall.call_next(&s.token).is_err() {
            break;
        }
        calls.push(start.elapsed());
        // 当场答复 ends a reception whatever state the matter has reached.
        hall.finish(
            &s.token,
            lianfang::domain::matter::Outcome::AnsweredOnSpot,
            "已当场答复",
        )
        .expect("finish");
    }
    println!("\n## Queue\n");
    println!("| measure | n | p50 | p99 | max |");
    println!("|---|---|---|---|---|");
    for (label, s) in [
        ("call next", Summary::of(calls)),
        (
            "queue query (all departments) after a change",
            Summary::of(queue),
        ),
        ("the same, asked again by another desk", Summary::of(again)),
    ] {
        println!(
            "| {label} | {} | {} | {} | {} |",
            s.count,
            fmt_duration(s.p50),
            fmt_duration(s.p99),
            fmt_duration(s.max)
        );
    }
}

/// Opens the hall in a fresh process and runs one lookup, three times (the first is the cold one).
fn open_section(dir: &PathBuf) {
    let exe = std::env::current_exe().expect("current exe");
    for attempt in 1..=3 {
        let started = Instant::now();
        let out = Process::new(&exe)
            .env("LIANFANG_BENCH_OPEN", dir)
            .output()
            .expect("spawn open child");
        let child = String::from_utf8_lossy(&out.stdout);
        println!(
            "| open + first lookup, fresh process #{attempt} | {} (whole process {}) |",
            child.trim(),
            fmt_duration(started.elapsed())
        );
    }
}

fn open_child(dir: &Path) {
    let started = Instant::now();
    let hall = LocalHall::open(dir, hall_config(dir)).expect("open");
    let opened = started.elapsed();
    // Login is not timed: argon2 is deliberately slow and not part of opening.
    let s = hall
        .login("admin", demo::DEMO_PASSWORD, "bench")
        .expect("login");
    let started = Instant::now();
    let hits = hall.lookup(&s.token, "zs", 20).expect("lookup");
    print!(
        "open {} + first lookup ({} hits) {}",
        fmt_duration(opened),
        hits.len(),
        fmt_duration(started.elapsed())
    );
}
