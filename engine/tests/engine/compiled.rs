//! The compiled config (`cartlift compile`, read by the widget's small build): it reads back
//! as the config it was written from, and bytes that are cut, damaged, stale or tampered
//! with are refused with a reason, never a panic.

use cartlift_engine::config::shard::{Limits, split};
use cartlift_engine::synthetic::store::{StoreSpec, store};
use cartlift_engine::{BasketLine, CompiledError, Config, Context, Placement};

/// A time inside the test stores' rule windows.
const NOW: i64 = 1_796_083_200;

fn demo() -> Config {
    Config::from_json(&crate::demo_config_text()).expect("the demo config is valid")
}

fn line(id: &str, quantity: u32) -> BasketLine {
    BasketLine {
        product: id.to_owned(),
        variant: None,
        quantity,
        price: None,
    }
}

/// Every product page, and baskets of one and two products in the cart, checkout and
/// confirmation placements: what `a` and `b` suggest is identical.
fn same_suggestions(a: &Config, b: &Config) -> usize {
    let ids: Vec<&str> = a.products().iter().map(|p| p.id.as_str()).collect();
    let mut cases = 0;
    for (i, id) in ids.iter().enumerate() {
        let next = ids[(i + 1) % ids.len()];
        let baskets = [
            (Placement::Product, Some(*id), vec![]),
            (Placement::Product, Some(*id), vec![line(next, 1)]),
            (Placement::Cart, None, vec![line(id, 2)]),
            (Placement::Checkout, None, vec![line(id, 1), line(next, 1)]),
            (Placement::Confirmation, None, vec![line(id, 1)]),
        ];
        for (placement, product, basket) in baskets {
            let mut ctx = Context::new(placement, NOW).basket(&basket);
            if let Some(p) = product {
                ctx = ctx.product(p);
            }
            assert_eq!(
                a.recommend(&ctx),
                b.recommend(&ctx),
                "{placement:?} {product:?} {basket:?}"
            );
            cases += 1;
        }
    }
    cases
}

fn roundtrip(config: &Config) -> (Vec<u8>, Config) {
    let bytes = config.to_compiled().expect("compiles");
    let back = Config::from_compiled(&bytes).expect("reads back");
    // Everything written is read back: writing it again gives the same bytes.
    assert_eq!(back.to_compiled().expect("compiles again"), bytes);
    (bytes, back)
}

#[test]
fn the_demo_config_reads_back_as_itself() {
    let config = demo();
    let (bytes, back) = roundtrip(&config);
    assert_eq!(back.store(), config.store());
    assert_eq!(back.products(), config.products());
    assert_eq!(back.rules(), config.rules());
    for p in config.products() {
        assert_eq!(back.product_by_id(&p.id), Some(p));
    }
    assert!(same_suggestions(&config, &back) > 100);
    // Smaller than the JSON it came from, which also had to be read and checked.
    let json = crate::demo_config_text();
    assert!(
        bytes.len() < json.len() / 2,
        "{} vs {}",
        bytes.len(),
        json.len()
    );
}

/// Lookups by id (a hash table of product indexes): every id is found, in any catalog
/// order and in a large store, and nothing else is (not a prefix, not a longer id, not
/// another case).
#[test]
fn every_product_is_found_by_its_id_and_nothing_else_is() {
    let config = Config::from_json(
        r#"{"version": 1, "store": {"currency": "USD"}, "rules": [], "catalog": [
          {"id": "cam-2", "title": "B", "price": 2}, {"id": "cam", "title": "A", "price": 1},
          {"id": "Cam-1", "title": "C", "price": 3}, {"id": "cam-10", "title": "D", "price": 4}]}"#,
    )
    .expect("valid");
    let (bytes, back) = roundtrip(&config);
    for c in [&config, &back] {
        for (i, p) in c.products().iter().enumerate() {
            assert_eq!(c.product_idx(&p.id).map(|x| x.get()), Some(i), "{}", p.id);
        }
        for absent in ["", "ca", "cam-", "cam-1", "CAM", "cam-100", "zzz"] {
            assert_eq!(c.product_idx(absent), None, "{absent}");
        }
    }
    // A store large enough for every probe sequence the index can take.
    let spec = StoreSpec {
        products: 5_000,
        mined_rules: 0,
        hand_rules: 0,
        categories: 3,
        tags: 3,
    };
    let large = Config::build(&store(spec, 3)).expect("valid");
    for (i, p) in large.products().iter().enumerate() {
        assert_eq!(
            large.product_idx(&p.id).map(|x| x.get()),
            Some(i),
            "{}",
            p.id
        );
    }
    let ids: std::collections::HashSet<&str> =
        large.products().iter().map(|p| p.id.as_str()).collect();
    for n in 0..20_000 {
        let absent = format!("p{n}x");
        assert!(!ids.contains(absent.as_str()));
        assert_eq!(large.product_idx(&absent), None, "{absent}");
    }
    // The same id twice is refused: `cam-2` rewritten as another product's id.
    let mut twice = bytes.clone();
    let at = twice
        .windows(5)
        .position(|w| w == b"cam-2")
        .expect("the id is in the file");
    twice[at..at + 5].copy_from_slice(b"Cam-1");
    assert_eq!(
        Config::from_compiled(&twice).unwrap_err(),
        CompiledError::Inconsistent("a product id twice")
    );
}

#[test]
fn a_large_store_reads_back_as_itself() {
    let spec = StoreSpec {
        products: 400,
        mined_rules: 4_000,
        hand_rules: 120,
        categories: 12,
        tags: 30,
    };
    let config = Config::build(&store(spec, 7)).expect("valid");
    let (_, back) = roundtrip(&config);
    assert_eq!(back.rules(), config.rules());
    same_suggestions(&config, &back);
}

#[test]
fn every_cut_is_refused_as_cut_short() {
    let bytes = demo().to_compiled().unwrap();
    for len in 0..bytes.len() {
        let err = Config::from_compiled(&bytes[..len]).expect_err("a prefix is not a config");
        let expected = if len < 8 {
            CompiledError::NotCompiled
        } else {
            CompiledError::Damaged("cut short")
        };
        assert_eq!(err, expected, "cut at {len}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        Config::from_compiled(&longer).unwrap_err(),
        CompiledError::Damaged("longer than what it encodes")
    );
}

/// Flip any byte: the reader refuses it or reads a config that evaluates without panicking
/// (a flipped price or flag is not detectable, and need not be: the file has a hash in
/// the store's integrity list; what matters is that nothing indexes out of bounds).
#[test]
fn damaged_bytes_never_panic() {
    let config = demo();
    let bytes = config.to_compiled().unwrap();
    let ids: Vec<String> = config.products().iter().map(|p| p.id.clone()).collect();
    let mut refused = 0;
    for at in 10..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] ^= flip;
            match Config::from_compiled(&damaged) {
                Err(_) => refused += 1,
                Ok(read) => {
                    for id in ids.iter().step_by(7) {
                        let basket = [line(id, 1)];
                        read.recommend(&Context::new(Placement::Product, NOW).product(id));
                        read.recommend(&Context::new(Placement::Cart, NOW).basket(&basket));
                    }
                }
            }
        }
    }
    assert!(refused > bytes.len(), "most damage is noticed ({refused})");
}

#[test]
fn a_tampered_link_is_refused() {
    let config = Config::from_json(
        r#"{"version": 1, "store": {"currency": "USD"},
            "catalog": [{"id": "cam", "title": "Camera", "price": 89,
                         "url": "https://shop.example/cam"}], "rules": []}"#,
    )
    .unwrap();
    let mut bytes = config.to_compiled().unwrap();
    let at = bytes
        .windows(6)
        .position(|w| w == b"https:")
        .expect("the link");
    bytes[at..at + 6].copy_from_slice(b"javas:");
    assert_eq!(
        Config::from_compiled(&bytes).unwrap_err(),
        CompiledError::Inconsistent("a product URL")
    );
}

#[test]
fn json_stale_formats_and_sharded_cores_are_named() {
    let text = br#"{"version": 1}"#;
    assert_eq!(
        Config::from_compiled(text).unwrap_err(),
        CompiledError::NotCompiled
    );
    let mut bytes = demo().to_compiled().unwrap();
    bytes[8] = bytes[8].wrapping_add(1);
    let err = Config::from_compiled(&bytes).unwrap_err();
    assert!(matches!(err, CompiledError::Format { .. }), "{err:?}");
    assert!(err.to_string().contains("compile it again"), "{err}");

    let raw: cartlift_engine::RawConfig = serde_json::from_str(
        r#"{"version": 1, "store": {"currency": "USD"},
            "catalog": [{"id": "cam", "title": "Camera", "price": 89}], "rules": []}"#,
    )
    .unwrap();
    let core = split(&raw, "shards/", Limits::default()).unwrap().core;
    let sharded = Config::build(&core).unwrap();
    assert_eq!(sharded.to_compiled().unwrap_err(), CompiledError::Sharded);
}

/// The compiled layout is a contract with every widget already deployed: when this fails,
/// the bytes of a compiled config changed. If the layout changed (a field added, removed,
/// reordered or retyped), bump `COMPILED_FORMAT`; then update the length and checksum.
#[test]
fn a_compiled_fixture_keeps_its_bytes() {
    let config = Config::from_json(
        r#"{"version": 1, "store": {"currency": "EUR", "locale": "de-DE",
              "free_shipping_threshold": 50, "copy": {"fa": {"bundle_total": "همه"}}},
            "catalog": [
              {"id": "cam", "title": "Camera", "price": 89.5, "category": "photo",
               "tags": ["new"], "url": "/p/cam", "attributes": {"zoom": "3x"}},
              {"id": "cam-pro", "title": "Camera Pro", "price": 129, "category": "photo",
               "attributes": {"zoom": "10x"}},
              {"id": "card", "title": "SD card", "price": 9, "in_stock": true}],
            "rules": [
              {"kind": "bought_together", "id": "m1", "source": "mined",
               "antecedent": ["cam"], "consequent": ["card"], "confidence": 0.4,
               "support": 0.1, "lift": 2.5, "weight": 0.3},
              {"kind": "upgrade", "id": "u1", "from": ["cam"], "to": "cam-pro",
               "compare": ["zoom"], "copy": {"en": {"title": "Go pro"}}},
              {"kind": "add_on", "id": "a1", "trigger": {"categories": ["photo"]},
               "add_ons": ["card"], "conditions": {"placements": ["cart"]}}]}"#,
    )
    .unwrap();
    let bytes = config.to_compiled().unwrap();
    let checksum = bytes
        .iter()
        .fold(0u32, |h, &b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    assert_eq!(
        (bytes.len(), checksum, cartlift_engine::COMPILED_FORMAT),
        (1860, 4_110_935_350, 3)
    );
}
