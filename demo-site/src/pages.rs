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

/// Persian category names, in [`CATEGORIES`] order.
const CATEGORIES_FA: [&str; 7] = [
    "دوربین",
    "دستگاه ضبط",
    "هارد دیسک",
    "کابل‌کشی",
    "تغذیه",
    "پایه و محفظه",
    "لوازم جانبی",
];

/// The demo's two languages: English, and Persian (right to left, native digits) to show
/// the widget's localization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English, the store's default.
    En,
    /// Persian.
    Fa,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fa];

    /// URL prefix of the language's pages (`""` or `"/fa"`).
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::Fa => "/fa",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fa => "fa",
        }
    }

    fn dir(self) -> &'static str {
        match self {
            Lang::En => "ltr",
            Lang::Fa => "rtl",
        }
    }

    /// The page chrome's text in this language.
    fn t(self, en: &'static str, fa: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Fa => fa,
        }
    }
}

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

fn layout(lang: Lang, path: &str, title: &str, body: &str) -> String {
    let mut nav = String::new();
    for (i, (slug, _)) in CATEGORIES.into_iter().enumerate() {
        let prefix = lang.prefix();
        let name = category_name(lang, i);
        push(
            &mut nav,
            format_args!(r#"<a href="{prefix}/category/{slug}.html">{name}</a>"#),
        );
    }
    let other = match lang {
        Lang::En => {
            format!(r#"<a class="lang" href="/fa{path}" hreflang="fa" lang="fa">فارسی</a>"#)
        }
        Lang::Fa => format!(r#"<a class="lang" href="{path}" hreflang="en" lang="en">English</a>"#),
    };
    let prefix = lang.prefix();
    format!(
        r#"<!doctype html>
<html lang="{tag}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {store}</title>
<link rel="stylesheet" href="/css/store.css">
<link rel="icon" href="data:,">
<link rel="modulepreload" href="/cartlift/cartlift_widget.js">
{EMBED}
<script type="module" src="/js/store.js"></script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="{prefix}/"><span class="logo-mark" aria-hidden="true">◉</span> Watchpost</a>
  <nav class="menu" aria-label="{categories}">{nav}</nav>
  {other}
  <a class="cart-link" href="{prefix}/cart.html">{cart} <span id="cart-count" class="badge" aria-live="polite">0</span></a>
</header>
<main>
{body}
</main>
<footer class="site-footer">{footer}</footer>
</body>
</html>
"#,
        tag = lang.tag(),
        dir = lang.dir(),
        title = esc(title),
        store = lang.t("Watchpost Security Supply", "فروشگاه تجهیزات امنیتی واچ‌پست"),
        categories = lang.t("Categories", "دسته‌ها"),
        cart = lang.t("Cart", "سبد خرید"),
        footer = lang.t(
            r#"Watchpost Security Supply is a demo store for <a href="https://example.invalid/cartlift">cartlift</a>. Prices in USD. Nothing is for sale."#,
            r#"واچ‌پست فروشگاهی نمایشی برای <a href="https://example.invalid/cartlift" lang="en">cartlift</a> است. قیمت‌ها به دلار است و چیزی فروخته نمی‌شود."#
        ),
    )
}

fn product_tile(p: &Product, lang: Lang) -> String {
    let mut out = String::new();
    push(
        &mut out,
        format_args!(
            r#"<li class="tile"><a href="{url}"><img src="{img}" alt="" width="200" height="200" loading="lazy"><span class="tile-title">{title}</span></a><span class="tile-price">{price}</span>{stock}</li>"#,
            url = esc(&format!(
                "{}{}",
                lang.prefix(),
                p.url.as_deref().unwrap_or("#")
            )),
            img = esc(p.image.as_deref().unwrap_or("")),
            title = esc(&p.title),
            price = usd(p.price),
            stock = if p.in_stock {
                String::new()
            } else {
                format!(
                    r#"<span class="stock out">{}</span>"#,
                    lang.t("Out of stock", "ناموجود")
                )
            },
        ),
    );
    out
}

fn category_name(lang: Lang, i: usize) -> &'static str {
    match lang {
        Lang::En => CATEGORIES[i].1,
        Lang::Fa => CATEGORIES_FA[i],
    }
}

/// A category listing: every product of the category, price and stock, sorted by price.
pub fn category(config: &Config, lang: Lang, i: usize) -> String {
    let (slug, _) = CATEGORIES[i];
    let name = category_name(lang, i);
    let mut products: Vec<&Product> = config
        .products()
        .iter()
        .filter(|p| p.category.as_deref() == Some(slug))
        .collect();
    products.sort_by_key(|p| p.price);
    let tiles: String = products.iter().map(|p| product_tile(p, lang)).collect();
    let body = format!(
        r#"<nav class="crumbs" aria-label="{crumbs}"><a href="{prefix}/">{home}</a> › {name}</nav>
<h1>{name}</h1>
<p class="count">{count}</p>
<ul class="tiles">{tiles}</ul>
"#,
        crumbs = lang.t("Breadcrumb", "مسیر"),
        prefix = lang.prefix(),
        home = lang.t("Home", "خانه"),
        count = match lang {
            Lang::En => format!("{} products", products.len()),
            Lang::Fa => format!("{} کالا", persian_digits(products.len())),
        },
    );
    layout(lang, &format!("/category/{slug}.html"), name, &body)
}

fn persian_digits(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

/// The home page: a hero and every category's products.
pub fn home(config: &Config, lang: Lang) -> String {
    let mut body = String::from(lang.t(
        r#"<section class="hero"><h1>Security cameras that just work.</h1><p>PoE cameras, recorders, disks and everything in between: cables, power, mounts. Shipped from our warehouse in two days.</p></section>"#,
        r#"<section class="hero"><h1>دوربین‌های مداربسته‌ای که بی‌دردسر کار می‌کنند.</h1><p>دوربین‌های PoE، دستگاه‌های ضبط، هارد دیسک و هر چه میان آن‌هاست: کابل، تغذیه، پایه. ارسال از انبار ما در دو روز.</p></section>"#,
    ));
    for (i, (slug, name)) in CATEGORIES.into_iter().enumerate() {
        let name = if lang == Lang::Fa {
            CATEGORIES_FA[i]
        } else {
            name
        };
        let tiles: String = config
            .products()
            .iter()
            .filter(|p| p.category.as_deref() == Some(slug))
            .map(|p| product_tile(p, lang))
            .collect();
        push(
            &mut body,
            format_args!(
                r#"<section class="category" id="{slug}"><h2>{name}</h2><ul class="tiles">{tiles}</ul></section>"#
            ),
        );
    }
    layout(lang, "/", lang.t("Home", "خانه"), &body)
}

/// A product page with the product placement.
pub fn product(p: &Product, lang: Lang) -> String {
    let mut specs = String::new();
    for (k, v) in &p.attributes {
        push(
            &mut specs,
            format_args!(
                "<tr><th dir=\"auto\">{}</th><td dir=\"auto\">{}</td></tr>",
                esc(k),
                esc(v)
            ),
        );
    }
    let was = p
        .compare_at_price
        .map(|m| format!(r#" <s class="was">{}</s>"#, usd(m)))
        .unwrap_or_default();
    let (stock, button) = if p.in_stock {
        (
            format!(
                r#"<p class="stock in">{}</p>"#,
                lang.t("In stock, ships in 2 days", "موجود، ارسال در ۲ روز")
            ),
            format!(
                r#"<button class="buy" type="button" data-add="{}">{}</button>"#,
                esc(&p.id),
                lang.t("Add to cart", "افزودن به سبد")
            ),
        )
    } else {
        let out = lang.t("Out of stock", "ناموجود");
        (
            format!(r#"<p class="stock out">{out}</p>"#),
            format!(r#"<button class="buy" type="button" disabled>{out}</button>"#),
        )
    };
    let category = CATEGORIES
        .iter()
        .position(|(slug, _)| p.category.as_deref() == Some(slug))
        .map_or(("", lang.t("Products", "کالاها")), |i| {
            (CATEGORIES[i].0, category_name(lang, i))
        });
    let body = format!(
        r#"<nav class="crumbs" aria-label="{crumbs}"><a href="{prefix}/">{home}</a> › <a href="{prefix}/category/{slug}.html">{cat}</a></nav>
<article class="product" data-product="{id}">
  <img class="product-image" src="{img}" alt="{title}" width="400" height="400">
  <div class="product-info">
    <h1 dir="auto">{title}</h1>
    <p class="vendor">{vendor}</p>
    <p class="product-price">{price}{was}</p>
    {stock}
    {button}
    <table class="specs"><caption>{spec_title}</caption>{specs}</table>
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
        crumbs = lang.t("Breadcrumb", "مسیر"),
        prefix = lang.prefix(),
        home = lang.t("Home", "خانه"),
        spec_title = lang.t("Specifications", "مشخصات"),
    );
    layout(lang, &format!("/products/{}.html", p.id), &p.title, &body)
}

/// The catalog the cart lines need, embedded as JSON, and the classic script that draws
/// the lines while the page is parsed (so nothing shifts after the first paint).
fn cart_lines_script(feed: &str) -> String {
    format!(
        r#"<script type="application/json" id="store-feed">{}</script>
  <script src="/js/cart-lines.js"></script>"#,
        feed.replace("</", "<\\/")
    )
}

/// The cart page: lines are drawn by `/js/cart-lines.js` from the cart in localStorage.
pub fn cart(lang: Lang, feed: &str) -> String {
    let body = format!(
        r#"<h1>{heading}</h1>
<section class="cart">
  <ul id="cart-lines" class="cart-lines"><li class="empty">{empty}</li></ul>
  {lines_script}
  <p class="cart-actions"><a class="buy" href="{prefix}/checkout.html">{checkout}</a></p>
</section>
<cartlift-suggestions placement="cart"></cartlift-suggestions>
"#,
        heading = lang.t("Your cart", "سبد خرید شما"),
        lines_script = cart_lines_script(feed),
        empty = lang.t("Your cart is empty.", "سبد خرید شما خالی است."),
        prefix = lang.prefix(),
        checkout = lang.t("Check out", "ادامهٔ خرید"),
    );
    layout(lang, "/cart.html", lang.t("Cart", "سبد خرید"), &body)
}

/// The checkout page: an order summary, the checkout placement, and "Place order", which
/// `/js/store.js` turns into an order (kept for the confirmation page) and an empty cart.
pub fn checkout(lang: Lang, feed: &str) -> String {
    let body = format!(
        r#"<h1>{heading}</h1>
<div class="checkout">
  <form id="checkout-form" class="checkout-form">
    <label>{email} <input name="email" type="email" autocomplete="email" value="shopper@example.com" required></label>
    <label>{address} <input name="address" autocomplete="street-address" value="1 Demo Street" required></label>
    <button class="buy" type="submit" id="place-order">{place}</button>
  </form>
  <section class="cart summary-box" aria-label="{summary}">
    <ul id="cart-lines" class="cart-lines compact"><li class="empty">{empty}</li></ul>
    {lines_script}
  </section>
</div>
<cartlift-suggestions placement="checkout"></cartlift-suggestions>
"#,
        heading = lang.t("Checkout", "تکمیل خرید"),
        lines_script = cart_lines_script(feed),
        email = lang.t("Email", "ایمیل"),
        address = lang.t("Address", "نشانی"),
        place = lang.t("Place order", "ثبت سفارش"),
        summary = lang.t("Order summary", "خلاصهٔ سفارش"),
        empty = lang.t("Your cart is empty.", "سبد خرید شما خالی است."),
    );
    layout(
        lang,
        "/checkout.html",
        lang.t("Checkout", "تکمیل خرید"),
        &body,
    )
}

/// The order confirmation page: `/js/store.js` fills in the order just placed and hands
/// its lines to the confirmation placement through the `order` attribute.
pub fn confirmation(lang: Lang) -> String {
    let body = format!(
        r#"<section class="thanks">
  <h1>{heading}</h1>
  <p id="order-summary">{summary}</p>
</section>
<cartlift-suggestions placement="confirmation" id="complete-setup"></cartlift-suggestions>
"#,
        heading = lang.t("Thank you for your order", "از خرید شما سپاسگزاریم"),
        summary = lang.t(
            "We have emailed you a receipt.",
            "رسید سفارش به ایمیل شما فرستاده شد."
        ),
    );
    layout(
        lang,
        "/confirmation.html",
        lang.t("Order confirmed", "سفارش ثبت شد"),
        &body,
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
