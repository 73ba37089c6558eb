//! `cartlift catalog`: the store exports in tests/data/catalogs (written from each
//! platform's documented format) in, exact catalogs and reports out; and the whole loop,
//! product export and order export to a config whose product page shows the mined bundle.

use cartlift_engine::config::RawConfig;
use cartlift_engine::config::raw::{RawProduct, RawRule, RawVariant};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cartlift() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cartlift"))
}

fn data(name: &str) -> String {
    format!(
        "{}/../tests/data/catalogs/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A fresh scratch directory per test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartlift-catalog-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn run(args: &[&str]) -> Output {
    cartlift().args(args).output().expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The catalog of a `{"catalog": [...]}` file or a config.
fn catalog_of(path: &Path) -> Vec<RawProduct> {
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON");
    serde_json::from_value(doc["catalog"].clone()).expect("the config's catalog format")
}

fn config_of(path: &Path) -> RawConfig {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("a config")
}

fn variant(
    id: &str,
    sku: Option<&str>,
    title: &str,
    price: Option<f64>,
    in_stock: bool,
) -> RawVariant {
    RawVariant {
        id: id.into(),
        sku: sku.map(Into::into),
        title: title.into(),
        price,
        in_stock,
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// What tests/data/catalogs/shopify_products.csv holds, with `base` before the URLs.
fn shopify_catalog(base: &str) -> Vec<RawProduct> {
    let cdn = "https://cdn.shopify.com/s/files/1/0000/0001/products/";
    vec![
        RawProduct {
            id: "dome-camera-4mp".into(),
            title: "Dome Camera 4 MP, PoE".into(),
            sku: Some("cam-dome-4mp".into()),
            price: 79.0,
            compare_at_price: Some(89.0),
            url: Some(format!("{base}/products/dome-camera-4mp")),
            image: Some(format!("{cdn}dome-4mp-front.jpg")),
            category: Some("Cameras".into()),
            tags: strings(&["outdoor", "poe", "4mp"]),
            vendor: Some("Watchpost".into()),
            in_stock: true,
            ..RawProduct::default()
        },
        RawProduct {
            id: "cat6-cable".into(),
            title: "Cat6 Cable".into(),
            price: 16.0,
            url: Some(format!("{base}/products/cat6-cable")),
            image: Some(format!("{cdn}cat6.jpg")),
            category: Some("Cables".into()),
            tags: strings(&["cable", "poe"]),
            vendor: Some("Watchpost".into()),
            in_stock: true,
            variants: vec![
                variant(
                    "cable-cat6-10m",
                    Some("cable-cat6-10m"),
                    "10 m",
                    Some(9.5),
                    false,
                ),
                variant("cable-cat6-20m", Some("cable-cat6-20m"), "20 m", None, true),
            ],
            ..RawProduct::default()
        },
        RawProduct {
            id: "nvr-8ch".into(),
            title: "8-Channel NVR".into(),
            sku: Some("nvr-8ch".into()),
            price: 229.0,
            url: Some(format!("{base}/products/nvr-8ch")),
            image: Some(format!("{cdn}nvr-8ch.jpg")),
            category: Some("Recorders".into()),
            tags: strings(&["nvr"]),
            vendor: Some("Watchpost".into()),
            in_stock: true,
            ..RawProduct::default()
        },
        RawProduct {
            id: "bullet-camera-5mp".into(),
            title: "Bullet Camera 5 MP".into(),
            price: 99.0,
            url: Some(format!("{base}/products/bullet-camera-5mp")),
            image: Some(format!("{cdn}bullet-white.jpg")),
            category: Some("Cameras".into()),
            tags: strings(&["outdoor", "5mp"]),
            vendor: Some("Watchpost".into()),
            in_stock: true,
            variants: vec![
                variant(
                    "cam-bullet-5mp-wht",
                    Some("cam-bullet-5mp-wht"),
                    "White",
                    None,
                    true,
                ),
                variant(
                    "cam-bullet-5mp-blk",
                    Some("cam-bullet-5mp-blk"),
                    "Black",
                    Some(104.0),
                    true,
                ),
            ],
            ..RawProduct::default()
        },
        RawProduct {
            id: "wall-mount".into(),
            title: "Wall Mount".into(),
            sku: Some("mount-wall".into()),
            price: 12.0,
            url: Some(format!("{base}/products/wall-mount")),
            category: Some("Accessories".into()),
            vendor: Some("Watchpost".into()),
            in_stock: true,
            ..RawProduct::default()
        },
    ]
}

#[test]
fn a_shopify_product_export_becomes_the_catalog_and_says_what_it_left_out() {
    let dir = scratch("shopify");
    let out_file = dir.join("catalog.json");
    let out = run(&["catalog", &data("shopify_products.csv"), "-o", s(&out_file)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "{}: Shopify product export, 15 rows: 5 products, 4 variants; left out (not for sale): 1 draft, 1 archived, 1 unpublished, 1 gift card; 0 malformed row(s) skipped\n\
             catalog: 5 products, 4 variants -> {}\n",
            data("shopify_products.csv"),
            out_file.display()
        )
    );
    assert_eq!(catalog_of(&out_file), shopify_catalog(""));
}

#[test]
fn a_woocommerce_product_export_becomes_the_catalog_with_platform_ids() {
    let out = run(&[
        "catalog",
        &data("woocommerce_products.csv"),
        "--base-url",
        "https://watchpost.example/",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "{}: WooCommerce product export, 11 rows: 4 products, 2 variants; left out (not for sale): 1 draft, 1 private, 1 grouped, 1 external, 1 disabled variation; 0 malformed row(s) skipped\n\
             catalog: 4 products, 2 variants\n",
            data("woocommerce_products.csv")
        )
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let catalog: Vec<RawProduct> = serde_json::from_value(doc["catalog"].clone()).expect("catalog");
    let img = "https://watchpost.example/wp-content/uploads/2026/11/";
    let url = |id: &str| {
        Some(format!(
            "https://watchpost.example/?post_type=product&p={id}"
        ))
    };
    assert_eq!(
        catalog,
        vec![
            RawProduct {
                id: "101".into(),
                title: "Dome Camera 4 MP, PoE".into(),
                sku: Some("cam-dome-4mp".into()),
                price: 79.0,
                compare_at_price: Some(89.0),
                url: url("101"),
                image: Some(format!("{img}dome-front.jpg")),
                category: Some("Dome".into()),
                tags: strings(&["outdoor", "poe"]),
                in_stock: true,
                ..RawProduct::default()
            },
            RawProduct {
                id: "102".into(),
                title: "Cat6 Cable".into(),
                sku: Some("cable-cat6".into()),
                price: 16.0,
                url: url("102"),
                image: Some(format!("{img}cat6.jpg")),
                category: Some("Cables".into()),
                tags: strings(&["cable", "poe"]),
                in_stock: true,
                variants: vec![
                    variant("103", Some("cable-cat6-10m"), "10 m", Some(9.5), false),
                    variant("104", Some("cable-cat6-20m"), "20 m", None, true),
                ],
                ..RawProduct::default()
            },
            RawProduct {
                id: "105".into(),
                title: "8-Channel NVR".into(),
                sku: Some("nvr-8ch".into()),
                price: 229.0,
                url: url("105"),
                image: Some(format!("{img}nvr-8ch.jpg")),
                category: Some("Recorders".into()),
                tags: strings(&["nvr"]),
                in_stock: true,
                ..RawProduct::default()
            },
            RawProduct {
                id: "111".into(),
                title: "Wall Mount".into(),
                sku: Some("mount-wall".into()),
                price: 12.0,
                url: url("111"),
                category: Some("Accessories".into()),
                in_stock: true,
                ..RawProduct::default()
            },
        ]
    );
}

#[test]
fn merchant_center_feeds_as_tsv_and_rss_give_the_same_catalog() {
    let dir = scratch("merchant-center");
    let mut catalogs = Vec::new();
    for (file, rows) in [("merchant_center.tsv", 5), ("merchant_center.xml", 5)] {
        let out_file = dir.join(format!("{file}.json"));
        let out = run(&["catalog", &data(file), "-o", s(&out_file)]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stderr(&out).starts_with(&format!(
                "{}: Merchant Center feed, {rows} rows: 4 products, 2 variants; nothing left out; 0 malformed row(s) skipped\n",
                data(file)
            )),
            "{}",
            stderr(&out)
        );
        catalogs.push(catalog_of(&out_file));
    }
    assert_eq!(catalogs[0], catalogs[1]);
    let site = "https://watchpost.example";
    let cable = &catalogs[0][1];
    assert_eq!(
        cable,
        &RawProduct {
            id: "cable-cat6".into(),
            title: "Cat6 Cable 10 m".into(),
            price: 16.0,
            url: Some(format!("{site}/products/cat6-cable?variant=10m")),
            image: Some(format!("{site}/img/cat6.jpg")),
            category: Some("Cables".into()),
            vendor: Some("Watchpost".into()),
            in_stock: true,
            variants: vec![
                variant("cable-cat6-10m", None, "10 m", Some(9.5), false),
                variant("cable-cat6-20m", None, "20 m", None, true),
            ],
            ..RawProduct::default()
        }
    );
    let dome = &catalogs[0][0];
    assert_eq!(
        (
            dome.id.as_str(),
            dome.price,
            dome.compare_at_price,
            dome.category.as_deref()
        ),
        ("cam-dome-4mp", 79.0, Some(89.0), Some("Dome"))
    );
    assert_eq!(
        catalogs[0]
            .iter()
            .map(|p| (p.id.as_str(), p.in_stock))
            .collect::<Vec<_>>(),
        vec![
            ("cam-dome-4mp", true),
            ("cable-cat6", true),
            ("nvr-8ch", true),
            ("mount-wall", true)
        ]
    );
}

/// `catalog --into` → `mine --into` → `validate` → `explain`: the product page of the
/// dome camera shows the cable bought with it, mined from order lines that name the
/// cable's variant SKU.
fn full_loop(
    test: &str,
    products: &str,
    orders: &str,
    store: &str,
    dome: &str,
    cable: &str,
) -> (PathBuf, String) {
    let dir = scratch(test);
    let config = dir.join("config.json");
    std::fs::copy(data(store), &config).expect("copy");
    let out = run(&["catalog", &data(products), "--into", s(&config), "--backup"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let catalog_report = stderr(&out);
    assert!(dir.join("config.json.bak").exists());

    let out = run(&[
        "mine",
        &data(orders),
        "--min-support",
        "0.2",
        "--min-lift",
        "0",
        "--summary-json",
        "--into",
        s(&config),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: Value =
        serde_json::from_str(stderr(&out).lines().last().expect("summary")).expect("JSON");
    assert_eq!(summary["into"]["skipped"], 0, "{summary}");
    assert!(summary["into"]["by_sku"].as_u64() >= Some(2), "{summary}");

    let out = run(&["validate", s(&config)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = run(&[
        "explain",
        s(&config),
        "--placement",
        "product",
        "--product",
        dome,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let explained = String::from_utf8_lossy(&out.stdout).into_owned();
    let raw = config_of(&config);
    let mined = raw
        .rules
        .iter()
        .find_map(|r| match r {
            RawRule::BoughtTogether(b)
                if b.antecedent == [dome.to_string()] && b.consequent == [cable.to_string()] =>
            {
                Some(b.id.clone())
            }
            _ => None,
        })
        .expect("a mined rule from the dome camera to the cable");
    assert!(
        explained.contains(&mined) && explained.contains(cable),
        "{explained}"
    );
    (config, catalog_report)
}

#[test]
fn the_shopify_loop_ends_with_the_mined_bundle_on_the_product_page() {
    let (config, report) = full_loop(
        "shopify-loop",
        "shopify_products.csv",
        "shopify_orders.csv",
        "shopify_store.json",
        "dome-camera-4mp",
        "cat6-cable",
    );
    assert!(
        report.contains(
            "cartlift: warning: rule `upgrade-dome-2mp` dropped: `dome-camera-2mp` no longer in the catalog\n"
        ),
        "{report}"
    );
    assert!(
        report.ends_with(&format!(
            "catalog: 5 products, 4 variants; into {0}: 2 products kept, 3 new, 1 gone; 1 rules kept, 1 dropped -> {0}\n",
            config.display()
        )),
        "{report}"
    );
    let raw = config_of(&config);
    let dome = &raw.catalog[0];
    // What the export cannot know is kept: the attributes and the hand-set category.
    assert_eq!(dome.category.as_deref(), Some("dome-cameras"));
    assert_eq!(
        dome.attributes.get("Resolution").map(String::as_str),
        Some("4 MP")
    );
    assert_eq!(dome.price, 79.0, "the price is the export's");
    // Shopify's export has no variant ids: those the config had, by SKU, are kept.
    let bullet = raw
        .catalog
        .iter()
        .find(|p| p.id == "bullet-camera-5mp")
        .expect("bullet");
    assert_eq!(
        bullet
            .variants
            .iter()
            .map(|v| v.id.as_str())
            .collect::<Vec<_>>(),
        ["44100000000012", "44100000000011"]
    );
    assert!(raw.rules.iter().any(|r| r.id() == "upgrade-dome-to-bullet"));
    assert!(!raw.rules.iter().any(|r| r.id() == "upgrade-dome-2mp"));
}

#[test]
fn the_woocommerce_loop_ends_with_the_mined_bundle_on_the_product_page() {
    let (config, report) = full_loop(
        "woo-loop",
        "woocommerce_products.csv",
        "woocommerce_orders.csv",
        "woocommerce_store.json",
        "101",
        "102",
    );
    assert!(
        report.contains(
            "cartlift: warning: rule `upgrade-dome-2mp` dropped: `99` no longer in the catalog\n"
        ),
        "{report}"
    );
    let raw = config_of(&config);
    assert_eq!(raw.catalog.len(), 4);
    assert_eq!(
        raw.catalog[0]
            .attributes
            .get("Resolution")
            .map(String::as_str),
        Some("4 MP")
    );
    assert_eq!(raw.store.name, "Watchpost (WooCommerce)");
}

#[test]
fn malformed_rows_are_named_by_line_and_skipped_or_fatal_with_strict() {
    let dir = scratch("malformed");
    let file = dir.join("products_export.csv");
    std::fs::write(
        &file,
        "Handle,Title,Body (HTML),Variant SKU,Variant Price,Status\n\
         cam,Camera,\"<p>Two\nlines, \"\"quoted\"\"</p>\",cam-1,79.00,active\n\
         cam,,,cam-2,\"79,50\",\n\
         ,Nameless,,x,1.00,active\n\
         cable,Cable,,cable-1,16.005,active\n\
         mount,Mount,,mount-1,12,active\n",
    )
    .expect("write");
    let out = run(&["catalog", s(&file), "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let f = file.display();
    assert_eq!(
        stderr(&out),
        format!(
            "cartlift: warning: {f}:4: Variant Price \"79,50\" is not a price (row skipped)\n\
             cartlift: warning: {f}:5: empty Handle (row skipped)\n\
             {f}: Shopify product export, 5 rows: 3 products, 0 variants; nothing left out; 2 malformed row(s) skipped\n\
             catalog: 3 products, 0 variants -> stdout\n"
        )
    );

    // The store's currency has two decimals: `16.005` is refused when it is known.
    let config = dir.join("config.json");
    std::fs::write(
        &config,
        r#"{"version": 1, "store": {"currency": "USD"}, "catalog": [], "rules": []}"#,
    )
    .expect("write");
    let out = run(&["catalog", s(&file), "--into", s(&config)]);
    assert!(
        stderr(&out).contains(&format!(
            "cartlift: warning: {f}:6: Variant Price \"16.005\" is not a price: it has more than 2 decimal places for USD (row skipped)\n"
        )),
        "{}",
        stderr(&out)
    );

    let out = run(&["catalog", s(&file), "-o", "-", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("cartlift: error: {f}:4: Variant Price \"79,50\" is not a price\n")
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_file_with_no_readable_row_is_an_error_never_an_empty_catalog() {
    let dir = scratch("unreadable");
    let config = dir.join("config.json");
    std::fs::copy(data("woocommerce_store.json"), &config).expect("copy");
    let before = std::fs::read(&config).expect("read");
    let file = dir.join("wc-product-export.csv");
    std::fs::write(
        &file,
        "ID,Type,SKU,Name,Published,Regular price\r\n1,simple,a,A,1,free\r\n2,bundle,b,B,1,3\r\n",
    )
    .expect("write");
    let out = run(&["catalog", s(&file), "--into", s(&config)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let f = file.display();
    assert_eq!(
        stderr(&out),
        format!(
            "cartlift: error: {f}: no product could be read from the file: all 2 row(s) were skipped, the first for: line 2: Regular price \"free\" is not a price\n"
        )
    );
    assert_eq!(std::fs::read(&config).expect("read"), before, "untouched");

    let other = dir.join("orders.csv");
    std::fs::write(&other, "Name,Lineitem sku\n#1,a\n").expect("write");
    let out = run(&["catalog", s(&other)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(":1: not a product export cartlift knows"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_feed_in_another_currency_than_the_store_s_is_refused_naming_both() {
    let dir = scratch("currency");
    let config = dir.join("config.json");
    std::fs::copy(data("shopify_store.json"), &config).expect("copy");
    let before = std::fs::read(&config).expect("read");
    let feed = dir.join("feed.tsv");
    std::fs::write(&feed, "id\ttitle\tprice\nsku-1\tLamp\t49.00 EUR\n").expect("write");
    let out = run(&["catalog", s(&feed), "--into", s(&config)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "cartlift: error: {}:2: prices are in EUR, but the store's currency is USD\n",
            feed.display()
        )
    );
    assert_eq!(std::fs::read(&config).expect("read"), before, "untouched");
}
