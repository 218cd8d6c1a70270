//! How long the password step of a login costs (SPEC §2.7: Argon2id m = 19 MiB, t = 2, p = 1).
//!
//! Run with `cargo bench -p app --features ssr --bench password_hash` (release profile). Target:
//! a verification under 250 ms on one core of the 2-core reference machine, so that a login stays
//! well under a second while guessing stays expensive. Prints min / median / max over 20 runs.

use app::ssr::auth::passwords::{ARGON2_M_KIB, ARGON2_P, ARGON2_T, hash_blocking, verify_blocking};
use std::time::{Duration, Instant};

const RUNS: usize = 20;
const TARGET: Duration = Duration::from_millis(250);

fn main() {
    let hash = hash_blocking("Kz8#mq2!Lp");
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            assert!(verify_blocking("Kz8#mq2!Lp", &hash));
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[RUNS / 2];
    println!(
        "argon2id m={ARGON2_M_KIB} KiB t={ARGON2_T} p={ARGON2_P}: verify min {:?} / median {:?} / max {:?} over {RUNS} runs",
        times[0],
        median,
        times[RUNS - 1]
    );
    if median > TARGET {
        eprintln!("median {median:?} is over the {TARGET:?} target");
        std::process::exit(1);
    }
}
