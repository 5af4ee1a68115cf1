//! The lookups again, in a fresh process that opens the hall and the peer the run left
//! behind, as a server answers after it starts. The builder's process has just written
//! the whole hall through its cache; at 1,000,000 visitors its figures and a fresh
//! process's differed several-fold (docs/BENCHMARKS.md), so the run prints both.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::Command as Process;

use lianfang::demo;
use lianfang::hall::{Hall, LocalHall};

use crate::peer::{Kind, Peer};
use crate::stats;

pub const CHILD_ENV: &str = "LIANFANG_BENCH_LOOKUPS";

/// The builder's sampled queries, one `kind<TAB>text` line each, for the child.
const QUERIES: &str = "queries.tsv";

pub fn save_queries(work: &Path, samples: &[(Kind, Vec<String>)]) -> io::Result<()> {
    let mut out = io::BufWriter::new(std::fs::File::create(work.join(QUERIES))?);
    for (kind, texts) in samples {
        let k = Kind::ALL
            .iter()
            .position(|x| x == kind)
            .expect("every kind is in Kind::ALL");
        for t in texts {
            writeln!(out, "{k}\t{t}")?;
        }
    }
    out.flush()
}

fn load_queries(work: &Path) -> io::Result<Vec<(Kind, Vec<String>)>> {
    let mut out: Vec<(Kind, Vec<String>)> = Kind::ALL.iter().map(|k| (*k, Vec::new())).collect();
    for line in io::BufReader::new(std::fs::File::open(work.join(QUERIES))?).lines() {
        let line = line?;
        let Some((k, text)) = line.split_once('\t') else {
            continue;
        };
        if let Some(texts) = k.parse::<usize>().ok().and_then(|k| out.get_mut(k)) {
            texts.1.push(text.to_string());
        }
    }
    out.retain(|(_, texts)| !texts.is_empty());
    Ok(out)
}

/// Runs the child after the hall and the peer are closed; its table goes to our stdout.
pub fn section(work: &Path) {
    println!("\n## Lookups in a fresh process (hall and peer opened anew)\n");
    println!(
        "The same queries as above, after the registrations; {}\n",
        stats::page_cache()
    );
    // Our own output first: the child writes to the same stdout.
    io::stdout().flush().ok();
    let status = Process::new(std::env::current_exe().expect("current exe"))
        .env(CHILD_ENV, work)
        .status()
        .expect("spawn the lookup child");
    if !status.success() {
        eprintln!("the fresh-process lookups failed: {status}");
        std::process::exit(1);
    }
}

pub fn child(work: &Path) {
    let dir = work.join("hall");
    let hall = LocalHall::open(&dir, crate::hall_config(&dir)).expect("open hall");
    let peer = Peer::open(&work.join("peer.sqlite")).expect("open the SQLite peer");
    let admin = hall
        .login("admin", demo::DEMO_PASSWORD, "bench")
        .expect("login");
    let samples = load_queries(work).expect("read the queries");
    crate::lookup_table(&hall, &admin.token, &peer, &samples);
    println!(
        "\npeak RSS of the fresh process after these lookups: {:.0} MiB",
        stats::peak_rss_mib()
    );
}
