//! The demo store's order history: a few thousand seeded, believable orders of a
//! security-camera shop, written as an order-lines CSV (`order_id,created_at,sku,quantity`,
//! the shape of a real shop export). `cargo xtask demo-data` writes it to
//! `demo-site/data/orders.csv` and mines it with `cartlift mine --into` into the demo
//! config; a test keeps both in step with this generator.
//!
//! The structure is what such a shop sees: most orders are camera projects (cameras of
//! one model, then cabling, a recorder sized to the number of cameras, disks sized to the
//! recorder, mounts that suit the camera, a sign, a small install kit), the rest are
//! top-ups (a disk, a reel of cable and connectors, spare mounts, a UPS).

use cartlift_engine::synthetic::Rng;
use std::fmt::Write;

/// How the demo config's `source: mined` rules are mined from the history: the
/// arguments after `cartlift mine ORDERS --into CONFIG` (used by `cargo xtask demo-data`
/// and by the test that keeps the committed config in step).
pub const MINE_ARGS: &[&str] = &[
    "--format",
    "order-lines",
    "--order-col",
    "order_id",
    "--item-col",
    "sku",
    "--min-support",
    "0.01",
    "--min-confidence",
    "0.15",
    "--min-lift",
    "1.2",
    "--max-len",
    "2",
    "--top",
    "6",
];

/// Orders in the demo history.
pub const ORDERS: usize = 3000;
/// The seed the committed history was generated with.
pub const SEED: u64 = 2026;

/// One order: (sku, quantity) lines.
type Order = Vec<(&'static str, u32)>;

/// The committed history, as CSV text.
pub fn history() -> String {
    generate(SEED, ORDERS)
}

/// `orders` orders from `seed`, as an order-lines CSV.
pub fn generate(seed: u64, orders: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::from("order_id,created_at,sku,quantity\n");
    // Orders spread over January to October 2026, in order.
    let minutes = 304 * 24 * 60;
    for n in 0..orders {
        let order = order(&mut rng);
        let at = (n * minutes / orders) as u64 + rng.below(40);
        let (day, minute) = (at / (24 * 60), at % (24 * 60));
        let (month, mday) = month_day(day as u32);
        for (sku, quantity) in order {
            let _ = writeln!(
                out,
                "W{:05},2026-{month:02}-{mday:02}T{:02}:{:02}:00Z,{sku},{quantity}",
                10_000 + n,
                minute / 60,
                minute % 60
            );
        }
    }
    out
}

fn month_day(day_of_year: u32) -> (u32, u32) {
    const DAYS: [u32; 10] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31];
    let mut left = day_of_year;
    for (i, days) in DAYS.iter().enumerate() {
        if left < *days {
            return (i as u32 + 1, left + 1);
        }
        left -= days;
    }
    (10, 31)
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.unit() < p
}

/// Picks from `(weight, value)` pairs.
fn pick<T: Copy>(rng: &mut Rng, choices: &[(f64, T)]) -> T {
    let total: f64 = choices.iter().map(|c| c.0).sum();
    let mut x = rng.unit() * total;
    for &(w, v) in choices {
        if x < w {
            return v;
        }
        x -= w;
    }
    choices[choices.len() - 1].1
}

fn order(rng: &mut Rng) -> Order {
    match pick(
        rng,
        &[
            (0.50, 0u8), // a camera project
            (0.13, 1),   // a recorder (and disks)
            (0.12, 2),   // disks only
            (0.13, 3),   // cabling
            (0.12, 4),   // accessories
        ],
    ) {
        0 => camera_project(rng),
        1 => recorder(rng),
        2 => vec![(
            pick(rng, &[(0.4, "hdd-2tb"), (0.4, "hdd-4tb"), (0.2, "hdd-8tb")]),
            1 + rng.below(2) as u32,
        )],
        3 => cabling(rng),
        _ => accessories(rng),
    }
}

fn camera_project(rng: &mut Rng) -> Order {
    let camera = pick(
        rng,
        &[
            (0.30, "cam-dome-4mp"),
            (0.22, "cam-bullet-4mp"),
            (0.14, "cam-turret-4mp"),
            (0.13, "cam-dome-4k"),
            (0.11, "cam-bullet-4k"),
            (0.10, "cam-ptz-25x"),
        ],
    );
    let ptz = camera == "cam-ptz-25x";
    let bullet = camera.starts_with("cam-bullet");
    let cameras = if ptz {
        1
    } else {
        pick(
            rng,
            &[(0.35, 1), (0.25, 2), (0.15, 3), (0.10, 4), (0.15, 6)],
        )
    };
    let mut order: Order = vec![(camera, cameras)];
    // Cabling: a 20 m run per camera, or a reel and connectors for bigger jobs.
    if cameras >= 3 && chance(rng, 0.35) {
        order.push(("cable-cat6-305m", 1));
        if chance(rng, 0.6) {
            order.push(("rj45-50", 1));
        }
        if chance(rng, 0.45) {
            order.push(("crimp-tool", 1));
        }
    } else if chance(rng, 0.6) {
        order.push(("cable-cat6-20m", cameras));
    }
    // A recorder sized to the cameras, and disks sized to the recorder.
    if chance(rng, if ptz { 0.35 } else { 0.5 }) {
        let nvr = match cameras {
            1..=2 => pick(rng, &[(0.3, "nvr-4ch"), (0.7, "nvr-8ch")]),
            3..=4 => pick(rng, &[(0.45, "nvr-4ch"), (0.55, "nvr-8ch")]),
            _ => pick(rng, &[(0.7, "nvr-8ch"), (0.3, "nvr-16ch")]),
        };
        order.push((nvr, 1));
        if chance(rng, 0.75) {
            let disk = match nvr {
                "nvr-4ch" => pick(rng, &[(0.75, "hdd-2tb"), (0.25, "hdd-4tb")]),
                "nvr-8ch" => pick(
                    rng,
                    &[(0.55, "hdd-2tb"), (0.35, "hdd-4tb"), (0.1, "hdd-8tb")],
                ),
                _ => pick(rng, &[(0.3, "hdd-4tb"), (0.7, "hdd-8tb")]),
            };
            order.push((disk, 1));
        }
        if chance(rng, 0.15) {
            order.push(("ups-600va", 1));
        }
    } else if chance(rng, 0.25) {
        order.push(("poe-switch-8", 1));
    } else if chance(rng, 0.3) {
        order.push(("poe-injector", cameras));
    } else if chance(rng, 0.1) {
        order.push(("psu-12v-2a", cameras));
    }
    // Mounting that suits the camera.
    if bullet {
        if chance(rng, 0.35) {
            order.push(("mount-wall", cameras));
        } else if chance(rng, 0.2) {
            order.push(("mount-pole", cameras));
        }
        if chance(rng, 0.12) {
            order.push(("lens-varifocal", 1));
        }
        if chance(rng, 0.05) {
            order.push(("housing-heater", cameras));
        }
    } else if ptz {
        if chance(rng, 0.45) {
            order.push(("mount-pole", 1));
        }
    } else if chance(rng, 0.3) {
        order.push(("junction-box", cameras));
    }
    if chance(rng, 0.22) {
        order.push(("sign-cctv", 1));
    }
    if chance(rng, 0.18) {
        order.push(("install-kit", 1));
    }
    order
}

fn recorder(rng: &mut Rng) -> Order {
    let nvr = pick(
        rng,
        &[(0.35, "nvr-4ch"), (0.45, "nvr-8ch"), (0.2, "nvr-16ch")],
    );
    let mut order: Order = vec![(nvr, 1)];
    if chance(rng, 0.6) {
        let disk = if nvr == "nvr-16ch" {
            "hdd-8tb"
        } else {
            pick(rng, &[(0.5, "hdd-2tb"), (0.5, "hdd-4tb")])
        };
        order.push((disk, 1));
    }
    if chance(rng, 0.2) {
        order.push(("ups-600va", 1));
    }
    order
}

fn cabling(rng: &mut Rng) -> Order {
    if chance(rng, 0.45) {
        let mut order: Order = vec![("cable-cat6-305m", 1)];
        if chance(rng, 0.65) {
            order.push(("rj45-50", 1 + rng.below(2) as u32));
        }
        if chance(rng, 0.4) {
            order.push(("crimp-tool", 1));
        }
        order
    } else {
        let mut order: Order = vec![("cable-cat6-20m", 1 + rng.below(4) as u32)];
        if chance(rng, 0.2) {
            order.push(("poe-injector", 1));
        }
        order
    }
}

fn accessories(rng: &mut Rng) -> Order {
    let first = pick(
        rng,
        &[
            (0.2, "mount-wall"),
            (0.12, "mount-pole"),
            (0.15, "junction-box"),
            (0.12, "sign-cctv"),
            (0.12, "ups-600va"),
            (0.1, "psu-12v-2a"),
            (0.1, "install-kit"),
            (0.09, "lens-varifocal"),
        ],
    );
    let mut order: Order = vec![(first, 1 + rng.below(2) as u32)];
    if first == "mount-wall" && chance(rng, 0.3) {
        order.push(("junction-box", 1));
    }
    if first == "sign-cctv" && chance(rng, 0.3) {
        order.push(("install-kit", 1));
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_history_is_what_the_generator_writes() {
        let committed = std::fs::read_to_string(crate::orders_path()).unwrap();
        assert!(
            committed == history(),
            "demo-site/data/orders.csv is stale: run `cargo xtask demo-data`"
        );
    }

    #[test]
    fn same_seed_same_history() {
        assert_eq!(generate(7, 200), generate(7, 200));
        assert_ne!(generate(7, 200), generate(8, 200));
    }

    #[test]
    fn every_sku_is_in_the_demo_catalog_and_dates_are_valid() {
        let config = crate::load_config().unwrap();
        let text = generate(SEED, 500);
        let mut orders = std::collections::BTreeSet::new();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), 4, "{line}");
            orders.insert(fields[0]);
            assert!(config.product_idx(fields[2]).is_some(), "{line}");
            let month: u32 = fields[1][5..7].parse().unwrap();
            let day: u32 = fields[1][8..10].parse().unwrap();
            assert!(
                (1..=10).contains(&month) && (1..=31).contains(&day),
                "{line}"
            );
            assert!(fields[3].parse::<u32>().unwrap() >= 1);
        }
        assert_eq!(orders.len(), 500);
    }
}
