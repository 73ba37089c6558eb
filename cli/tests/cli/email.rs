//! `cartlift email` and `cartlift feed`: blocks that email clients can show safely, with
//! the suggestions `cartlift explain` lists, and a deterministic product feed.

use crate::cartlift;
use scraper::{Html, Selector};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const DEMO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../demo-site/cartlift/config.json"
);
const BASE: &str = "https://shop.example";

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartlift-email-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// The block for `basket` on stdout (the HTML), with `extra` flags.
fn block(config: &str, basket: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "email",
        config,
        "--basket",
        basket,
        "--now",
        "2026-11-25",
        "--base-url",
        BASE,
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = cartlift(&args);
    assert_eq!(code, Some(0), "{err}");
    out
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("selector"))
        .collect()
}

/// What an email client must get: markup a browser parses without error, no script, no
/// `style` element, nothing that runs, every link and image absolute http(s), images with
/// their size and alt text.
fn assert_email_safe(block: &str) -> Html {
    let html = Html::parse_fragment(block);
    assert!(
        html.errors.is_empty(),
        "parse errors {:?} in\n{block}",
        html.errors
    );
    assert!(
        select(&html, "script, style, link, iframe, object, form").is_empty(),
        "{block}"
    );
    for element in html
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (name, value) in element.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "event handler {name}={value:?} in\n{block}"
            );
            if matches!(name, "href" | "src") {
                assert!(
                    value.starts_with("https://") || value.starts_with("http://"),
                    "{name}={value:?} is not an absolute http(s) URL"
                );
                assert!(
                    !value.to_ascii_lowercase().contains("javascript:"),
                    "{value}"
                );
            }
        }
    }
    for img in select(&html, "img") {
        for attr in ["width", "height", "alt", "src"] {
            assert!(
                img.value().attr(attr).is_some(),
                "img without {attr}: {}",
                img.html()
            );
        }
    }
    assert!(
        block.len() < 102 * 1024,
        "Gmail clips above 102 KB: {} bytes",
        block.len()
    );
    html
}

/// Product ids a block links to, in order.
fn products(html: &Html) -> Vec<String> {
    select(html, "td[valign=top] > a[href]:not(:has(img))")
        .iter()
        .filter_map(|a| {
            let href = a.value().attr("href")?;
            let (_, query) = href.split_once('?')?;
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix("utm_content="))
                .map(str::to_owned)
        })
        .collect()
}

/// The ids `cartlift explain` lists for the placement's sections the email shows.
fn explained(placement: &str, basket: &str) -> Vec<String> {
    let (code, out, err) = cartlift(&[
        "explain",
        DEMO,
        "--now",
        "2026-11-25",
        "--placement",
        placement,
        "--basket",
        basket,
    ]);
    assert_eq!(code, Some(0), "{err}");
    let mut ids = Vec::new();
    let mut section = "";
    for line in out.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            section = line;
        }
        let Some((n, rest)) = line.trim_start().split_once(". ") else {
            continue;
        };
        if n.parse::<u32>().is_ok() && line.starts_with("  ") && section != "left out" {
            ids.push((
                section.to_owned(),
                rest.split(' ').next().unwrap_or("").to_owned(),
            ));
        }
    }
    // The widget's cart row: the free-shipping fillers first, then the rest.
    ids.sort_by_key(|(s, _)| !s.contains("free shipping"));
    ids.into_iter().map(|(_, id)| id).collect()
}

#[test]
fn a_post_purchase_block_is_email_safe_and_suggests_what_explain_lists() {
    let basket = "cam-dome-4mp*2,nvr-8ch";
    let out = block(DEMO, basket, &["--utm", "campaign=spring"]);
    let html = assert_email_safe(&out);
    let shown = products(&html);
    assert_eq!(shown, explained("confirmation", basket));
    assert_eq!(shown[0], "hdd-2tb");
    assert!(out.contains("Complete your setup"), "{out}");
    assert!(out.contains("Bought together with 8-Channel PoE Recorder (NVR) by 37% of shoppers"));
    assert!(out.contains("$69.00"), "a price for en-US: {out}");
    assert!(
        out.contains("https://shop.example/products/hdd-2tb.html?utm_source=cartlift&amp;utm_medium=email&amp;utm_campaign=spring&amp;utm_content=hdd-2tb"),
        "{out}"
    );
    assert!(out.contains(r#"dir="ltr""#));
    // The upgrade offered in a cart is in the abandoned-cart block, after the free-shipping
    // gap closers, as the widget's cart row shows them.
    let cart = block(DEMO, "cam-dome-4mp", &["--placement", "cart"]);
    let cart_html = assert_email_safe(&cart);
    let mut expected = explained("cart", "cam-dome-4mp");
    expected.push("cam-dome-4k".into());
    assert_eq!(products(&cart_html), expected);
    assert!(cart.contains("$71.00 away from free shipping"), "{cart}");
    assert!(cart.contains("utm_campaign=abandoned_cart"));
}

#[test]
fn persian_blocks_are_right_to_left_with_persian_digits() {
    let out = block(DEMO, "cam-dome-4mp", &["--locale", "fa"]);
    let html = assert_email_safe(&out);
    let table = &select(&html, "table")[0];
    assert_eq!(table.value().attr("dir"), Some("rtl"));
    assert_eq!(table.value().attr("lang"), Some("fa"));
    assert!(out.contains("۲۲۹٫۰۰"), "a price in Persian digits: {out}");
    assert!(out.contains("text-align:right"));
    assert!(!out.contains("text-align:left"), "{out}");
}

#[test]
fn text_and_json_alternatives_list_the_same_products() {
    let dir = scratch("alternatives");
    let file = dir.join("block.html");
    let file_arg = file.to_str().expect("utf-8 path");
    block(DEMO, "nvr-8ch", &["-o", file_arg, "--json", "--max", "3"]);
    let html = std::fs::read_to_string(&file).expect("block.html");
    let text = std::fs::read_to_string(dir.join("block.txt")).expect("block.txt");
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("block.json")).expect("json"))
            .expect("JSON");
    let ids = products(&assert_email_safe(&html));
    assert_eq!(ids.len(), 3, "--max 3: {ids:?}");
    let items: Vec<&Value> = data["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| s["items"].as_array().expect("items"))
        .collect();
    let json_ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(json_ids, ids);
    assert_eq!(items[0]["price"], json!(69.0));
    assert_eq!(items[0]["price_text"], "$69.00");
    assert_eq!(items[0]["kind"], "bought_together");
    for item in &items {
        let link = item["link"].as_str().expect("link");
        assert!(text.contains(link), "{link} in the text:\n{text}");
        assert!(text.contains(item["title"].as_str().expect("title")));
    }
    assert!(!text.contains('<'), "plain text: {text}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn hostile_shop_data_is_escaped() {
    let corpus: Value =
        serde_json::from_str(include_str!("../../../tests/data/xss.json")).expect("the corpus");
    let p = |name: &str| corpus[name].as_str().expect("payload").to_owned();
    let mut config: Value =
        serde_json::from_str(&std::fs::read_to_string(DEMO).expect("demo config")).expect("JSON");
    let set = |config: &mut Value, id: &str, field: &str, value: Value| {
        let catalog = config["catalog"].as_array_mut().expect("catalog");
        let product = catalog.iter_mut().find(|x| x["id"] == id).expect("product");
        product[field] = value;
    };
    set(&mut config, "hdd-2tb", "title", json!(p("script")));
    set(&mut config, "hdd-4tb", "title", json!(p("img")));
    set(&mut config, "hdd-2tb", "url", json!(p("url_attribute")));
    set(&mut config, "hdd-4tb", "image", json!(p("image_attribute")));
    set(&mut config, "junction-box", "title", json!(p("css")));
    config["store"]["copy"]["en"] = json!({ "confirmation_title": p("style") });
    let dir = scratch("xss");
    let path = dir.join("config.json");
    std::fs::write(&path, serde_json::to_vec(&config).expect("JSON")).expect("config");
    let path = path.to_str().expect("utf-8 path");
    let out = block(path, "nvr-8ch,cam-dome-4mp", &[]);
    let html = assert_email_safe(&out);
    let text = html.root_element().text().collect::<String>();
    for shown in [p("script"), p("img"), p("css"), p("style")] {
        assert!(text.contains(&shown), "{shown} shows as text in\n{out}");
    }
    assert!(select(&html, "img[src=x], b").is_empty(), "{out}");
    for a in select(&html, "a[href]") {
        let href = a.value().attr("href").expect("href");
        assert!(!href.contains('"'), "{href}");
    }
    // The payloads rode through: the links and images of those products are there.
    assert!(
        out.contains("https://shop.example/%22onmouseover=%22window.__pwned="),
        "{out}"
    );
    // A `javascript:` or `data:` URL is refused by validation as for the widget.
    set(&mut config, "nvr-4ch", "url", json!(p("javascript_url")));
    std::fs::write(
        dir.join("bad.json"),
        serde_json::to_vec(&config).expect("JSON"),
    )
    .expect("bad");
    let (code, _, err) = cartlift(&[
        "email",
        dir.join("bad.json").to_str().expect("utf-8"),
        "--basket",
        "nvr-8ch",
        "--base-url",
        BASE,
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("javascript"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn relative_catalog_urls_need_a_base() {
    let (code, _, err) = cartlift(&["email", DEMO, "--basket", "nvr-8ch"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("relative: give --base-url"), "{err}");
    let (code, _, err) = cartlift(&["email", DEMO, "--basket", "nope", "--base-url", BASE]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`nope` is not in the catalog"), "{err}");
}

/// A Shopify orders export (two orders, one of a product the catalog lacks) and a plain
/// CSV of order lines.
#[test]
fn orders_get_one_block_each() {
    let dir = scratch("orders");
    let shopify = dir.join("orders_export.csv");
    std::fs::write(
        &shopify,
        "Name,Email,Created at,Total,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n\
         #1001,a@example.com,2026-11-20 10:00:00 -0500,387.00,2,\"Dome Camera 4 MP, PoE\",79.00,cam-dome-4mp\n\
         #1001,,,,1,8-Channel PoE Recorder (NVR),229.00,nvr-8ch\n\
         #1002,b@example.com,2026-11-20 11:00:00 -0500,5.00,1,Gift card,5.00,GIFT\n",
    )
    .expect("export");
    let out = dir.join("blocks");
    let run = |orders: &Path| {
        cartlift(&[
            "email",
            DEMO,
            "--orders",
            orders.to_str().expect("utf-8"),
            "--out-dir",
            out.to_str().expect("utf-8"),
            "--base-url",
            BASE,
            "--now",
            "2026-11-25",
            "--json",
        ])
    };
    let (code, stdout, err) = run(&shopify);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        stdout.contains("1 blocks for 2 orders (1 with no catalog product"),
        "{stdout}"
    );
    let index = std::fs::read_to_string(out.join("index.csv")).expect("index");
    let expected = block(DEMO, "cam-dome-4mp*2,nvr-8ch", &[]);
    assert_eq!(
        std::fs::read_to_string(out.join("~231001.html")).expect("the order's block"),
        expected,
        "an order's block is the --basket block of its lines"
    );
    assert!(out.join("~231001.txt").is_file() && out.join("~231001.json").is_file());
    let ids = products(&Html::parse_fragment(&expected)).join(" ");
    assert_eq!(
        index,
        format!("order_id,file,products\n#1001,~231001,{ids}\n")
    );

    // A plain CSV replaces the earlier blocks.
    let plain = dir.join("orders.csv");
    std::fs::write(
        &plain,
        "order_id,sku,quantity\nA-1,nvr-8ch,1\nA-2,cam-dome-4mp,1\nA-1,hdd-2tb,1\n",
    )
    .expect("plain");
    let (code, stdout, err) = run(&plain);
    assert_eq!(code, Some(0), "{err}");
    assert!(stdout.contains("2 blocks for 2 orders"), "{stdout}");
    assert!(
        !out.join("~231001.html").exists(),
        "the earlier output is replaced"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("A-1.html")).expect("A-1"),
        block(DEMO, "nvr-8ch,hdd-2tb", &[])
    );
    // Any other folder is never replaced.
    let (code, _, err) = cartlift(&[
        "email",
        DEMO,
        "--orders",
        plain.to_str().expect("utf-8"),
        "--out-dir",
        dir.to_str().expect("utf-8"),
        "--base-url",
        BASE,
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("not an earlier `cartlift email` output"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

fn feed(extra: &[&str]) -> String {
    let mut args = vec!["feed", DEMO, "--now", "2026-11-25", "--base-url", BASE];
    args.extend_from_slice(extra);
    let (code, out, err) = cartlift(&args);
    assert_eq!(code, Some(0), "{err}");
    out
}

#[test]
fn the_feed_lists_every_product_with_its_page_suggestions() {
    let out = feed(&[]);
    assert_eq!(out, feed(&[]), "deterministic");
    let products: Value = serde_json::from_str(&out).expect("JSON");
    let products = products.as_array().expect("an array");
    let demo: Value =
        serde_json::from_str(&std::fs::read_to_string(DEMO).expect("demo")).expect("JSON");
    let catalog: Vec<&str> = demo["catalog"]
        .as_array()
        .expect("catalog")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    let ids: Vec<&str> = products.iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(ids, catalog, "every product, in catalog order");
    let cam = &products[0];
    assert_eq!(cam["id"], "cam-dome-4mp");
    assert_eq!(
        cam["link"],
        "https://shop.example/products/cam-dome-4mp.html"
    );
    assert_eq!(
        cam["image_link"],
        "https://shop.example/img/products/cam-dome-4mp.svg"
    );
    assert_eq!(cam["price"], "99.00 USD");
    assert_eq!(cam["sale_price"], "79.00 USD");
    assert_eq!(cam["availability"], "in_stock");
    assert_eq!(cam["product_type"], "cameras");
    // The product page's row: the bundle, then the upgrade (explain's product page).
    assert_eq!(
        cam["cartlift_suggestions"],
        json!([
            {"id": "cable-cat6-20m", "kind": "bought_together", "rule": "mined:cam-dome-4mp->cable-cat6-20m"},
            {"id": "junction-box", "kind": "bought_together", "rule": "mined:cam-dome-4mp->junction-box"},
            {"id": "nvr-8ch", "kind": "bought_together", "rule": "mined:cam-dome-4mp->nvr-8ch"},
            {"id": "cam-dome-4k", "kind": "upgrade", "rule": "up-dome-4k"}
        ])
    );
    let csv = feed(&["--format", "csv", "--top", "2"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "id,title,link,image_link,price,sale_price,availability,product_type,brand,cartlift_suggestion_ids,cartlift_suggestion_kinds"
        )
    );
    assert!(
        lines.next().expect("a row").ends_with(",in_stock,cameras,Watchpost,\"cable-cat6-20m,junction-box\",\"bought_together,bought_together\""),
        "{csv}"
    );
    let (code, _, err) = cartlift(&["feed", DEMO]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--base-url"), "{err}");
}
