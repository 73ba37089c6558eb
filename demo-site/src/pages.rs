//! The storefront's HTML pages, generated from the demo config's catalog. Every page embeds
//! cartlift exactly as the README tells a store to: one module script tag and a
//! `<cartlift-suggestions>` element per placement.

use crate::html::{esc, push};
use cartlift_engine::{Config, Money, Product};

/// Categories in menu order, with their display names.
pub const CATEGORIES: [(&str, &str); 7] = [
    ("cameras", "Cameras"),
    ("recorders", "Recorders"),
    ("storage", "Hard disks"),
    ("cabling", "Cabling"),
    ("power", "Power"),
    ("mounting", "Mounts & housings"),
    ("accessories", "Accessories"),
];

/// The script tag a store pastes (see the README); the demo's pages use it verbatim.
pub const EMBED: &str = r#"<script type="module" src="/cartlift/cartlift.js" data-config="/cartlift/config.json"></script>"#;

fn usd(money: Money) -> String {
    let cents = money.minor();
    let dollars = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in dollars.chars().enumerate() {
        if i > 0 && (dollars.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{:02}", cents % 100)
}

fn layout(title: &str, body: &str) -> String {
    let mut nav = String::new();
    for (slug, name) in CATEGORIES {
        push(&mut nav, format_args!(r#"<a href="/#{slug}">{name}</a>"#));
    }
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Watchpost Security Supply</title>
<link rel="stylesheet" href="/css/store.css">
<link rel="icon" href="data:,">
{EMBED}
<script type="module" src="/js/store.js"></script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/"><span class="logo-mark" aria-hidden="true">◉</span> Watchpost</a>
  <nav class="menu" aria-label="Categories">{nav}</nav>
  <a class="cart-link" href="/cart.html">Cart <span id="cart-count" class="badge" aria-live="polite">0</span></a>
</header>
<main>
{body}
</main>
<footer class="site-footer">Watchpost Security Supply is a demo store for <a href="https://example.invalid/cartlift">cartlift</a>. Prices in USD. Nothing is for sale.</footer>
</body>
</html>
"#,
        title = esc(title)
    )
}

fn product_tile(p: &Product) -> String {
    let mut out = String::new();
    push(
        &mut out,
        format_args!(
            r#"<li class="tile"><a href="{url}"><img src="{img}" alt="" width="200" height="200" loading="lazy"><span class="tile-title">{title}</span></a><span class="tile-price">{price}</span>{stock}</li>"#,
            url = esc(p.url.as_deref().unwrap_or("#")),
            img = esc(p.image.as_deref().unwrap_or("")),
            title = esc(&p.title),
            price = usd(p.price),
            stock = if p.in_stock {
                ""
            } else {
                r#"<span class="stock out">Out of stock</span>"#
            },
        ),
    );
    out
}

/// The home page: a hero and every category's products.
pub fn home(config: &Config) -> String {
    let mut body = String::from(
        r#"<section class="hero"><h1>Security cameras that just work.</h1><p>PoE cameras, recorders, disks and everything in between: cables, power, mounts. Shipped from our warehouse in two days.</p></section>"#,
    );
    for (slug, name) in CATEGORIES {
        let tiles: String = config
            .products()
            .iter()
            .filter(|p| p.category.as_deref() == Some(slug))
            .map(product_tile)
            .collect();
        push(
            &mut body,
            format_args!(
                r#"<section class="category" id="{slug}"><h2>{name}</h2><ul class="tiles">{tiles}</ul></section>"#
            ),
        );
    }
    layout("Home", &body)
}

/// A product page with the product placement.
pub fn product(p: &Product) -> String {
    let mut specs = String::new();
    for (k, v) in &p.attributes {
        push(
            &mut specs,
            format_args!("<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v)),
        );
    }
    let was = p
        .compare_at_price
        .map(|m| format!(r#" <s class="was">{}</s>"#, usd(m)))
        .unwrap_or_default();
    let (stock, button) = if p.in_stock {
        (
            r#"<p class="stock in">In stock, ships in 2 days</p>"#,
            format!(
                r#"<button class="buy" type="button" data-add="{}">Add to cart</button>"#,
                esc(&p.id)
            ),
        )
    } else {
        (
            r#"<p class="stock out">Out of stock</p>"#,
            r#"<button class="buy" type="button" disabled>Out of stock</button>"#.to_owned(),
        )
    };
    let category = CATEGORIES
        .iter()
        .find(|(slug, _)| p.category.as_deref() == Some(slug))
        .copied()
        .unwrap_or(("", "Products"));
    let body = format!(
        r#"<nav class="crumbs" aria-label="Breadcrumb"><a href="/">Home</a> › <a href="/#{slug}">{cat}</a></nav>
<article class="product" data-product="{id}">
  <img class="product-image" src="{img}" alt="{title}" width="400" height="400">
  <div class="product-info">
    <h1>{title}</h1>
    <p class="vendor">{vendor}</p>
    <p class="product-price">{price}{was}</p>
    {stock}
    {button}
    <table class="specs"><caption>Specifications</caption>{specs}</table>
  </div>
</article>
<cartlift-suggestions placement="product" product="{id}"></cartlift-suggestions>
"#,
        slug = category.0,
        cat = category.1,
        id = esc(&p.id),
        img = esc(p.image.as_deref().unwrap_or("")),
        title = esc(&p.title),
        vendor = esc(p.vendor.as_deref().unwrap_or("")),
        price = usd(p.price),
    );
    layout(&p.title, &body)
}

/// The cart page: lines are drawn by `/js/store.js` from the cart in localStorage.
pub fn cart() -> String {
    layout(
        "Cart",
        r#"<h1>Your cart</h1>
<section class="cart">
  <ul id="cart-lines" class="cart-lines"><li class="empty">Your cart is empty.</li></ul>
  <p class="cart-total">Subtotal: <strong id="cart-subtotal">$0.00</strong></p>
</section>
<cartlift-suggestions placement="cart"></cartlift-suggestions>
"#,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_are_grouped() {
        assert_eq!(usd(Money(123456789)), "$1,234,567.89");
        assert_eq!(usd(Money(5)), "$0.05");
        assert_eq!(usd(Money(100000)), "$1,000.00");
    }
}
