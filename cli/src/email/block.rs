//! One email block: the suggestions of a placement, as an HTML fragment any email client
//! shows, its plain-text alternative and the same as JSON. What is suggested and in which
//! order is the engine's ([`Recommendations::row`]); this module only writes it down.
//!
//! The HTML follows what email clients (Gmail, Outlook, Apple Mail) reliably show: tables
//! for layout, every style inline (no `<style>`, no class), no script, images with their
//! width, height and alt text, absolute links. Every piece of shop data goes through
//! [`escape`]; every URL through [`Links`]. One column, so the block reads the same at
//! 600 px (the usual email width) and at 320 px (a phone).

use crate::links::Links;
use anyhow::Result;
use cartlift_engine::copy::{CopyKey, Locale};
use cartlift_engine::html::escape;
use cartlift_engine::recommend::{Recommendations, Section};
use cartlift_engine::{Config, Format, Money, Placement};
use serde_json::json;
use std::fmt::Write;

/// Image side in the block, in CSS pixels.
const IMAGE: u32 = 96;

/// A rendered-ready block.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// The placement it stands for.
    pub placement: Placement,
    /// The locale of its texts (`en-US`, `fa`).
    pub locale: String,
    /// Right to left.
    pub rtl: bool,
    /// The store currency's code.
    pub currency: String,
    /// Its sections, in the widget's order.
    pub sections: Vec<BlockSection>,
}

/// A heading and its products.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockSection {
    /// Which part of the row.
    pub section: Section,
    /// What it is called, from the store's copy.
    pub heading: String,
    /// A line under the heading (the free-shipping gap), if any.
    pub note: Option<String>,
    /// Its products, best first.
    pub items: Vec<Item>,
}

/// One suggested product.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Catalog id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Absolute product link with the UTM parameters, if the product has a usable URL.
    pub url: Option<String>,
    /// Absolute image URL, if the product has a usable image.
    pub image: Option<String>,
    /// What an add costs.
    pub price: Money,
    /// That price for people.
    pub price_text: String,
    /// The struck-through "was" price for people, if any.
    pub compare_at_text: Option<String>,
    /// Why it is suggested, in the store's copy.
    pub reason: String,
    /// The kind of the strongest rule behind it.
    pub kind: &'static str,
    /// Every rule behind it.
    pub rules: Vec<String>,
}

/// What the engine answered, as a block of at most `max` products.
pub fn build(
    config: &Config,
    recs: &Recommendations,
    locale: &Locale<'_>,
    fmt: &dyn Format,
    links: &Links,
    max: Option<usize>,
) -> Result<Block> {
    let mut sections: Vec<BlockSection> = Vec::new();
    let row = recs.row();
    for item in row.iter().take(max.unwrap_or(usize::MAX)) {
        let p = config.product(item.product);
        let strongest = &item.reasons[0];
        let compare_at = p
            .compare_at_price
            .filter(|was| *was > p.price_to_add())
            .map(|was| fmt.money(was));
        let entry = Item {
            id: p.id.clone(),
            title: p.title.clone(),
            url: match &p.url {
                Some(url) => links.tracked(url, Some(&p.id))?,
                None => None,
            },
            image: match &p.image {
                Some(url) => links.absolute(url)?.map(String::from),
                None => None,
            },
            price: p.price_to_add(),
            price_text: fmt.money(p.price_to_add()),
            compare_at_text: compare_at,
            reason: config.reason_text(strongest, locale, fmt),
            kind: config.rule(strongest.rule).kind.name(),
            rules: item
                .reasons
                .iter()
                .map(|r| config.rule(r.rule).id.clone())
                .collect(),
        };
        match sections.last_mut() {
            Some(s) if s.section == item.section => s.items.push(entry),
            _ => sections.push(BlockSection {
                section: item.section,
                heading: heading(config, recs, item.section, locale),
                note: note(recs, item.section, locale, fmt),
                items: vec![entry],
            }),
        }
    }
    Ok(Block {
        placement: recs.placement,
        locale: locale.tag.to_owned(),
        rtl: locale.rtl,
        currency: config.store().currency.code().to_owned(),
        sections,
    })
}

/// A section's heading, as the widget writes it.
fn heading(
    config: &Config,
    recs: &Recommendations,
    section: Section,
    locale: &Locale<'_>,
) -> String {
    match section {
        Section::Suggestions => {
            let head = if recs.cross_sells.is_empty() {
                &recs.add_ons
            } else {
                &recs.cross_sells
            };
            config.section_title(CopyKey::placement_title(recs.placement), head, locale)
        }
        Section::FreeShipping => locale.texts.get(CopyKey::FreeShippingItems).to_owned(),
        Section::AddOns => locale.texts.get(CopyKey::AddOnsTitle).to_owned(),
        Section::Upgrades => locale.texts.get(CopyKey::UpgradeTitle).to_owned(),
    }
}

/// The free-shipping gap, over its gap closers.
fn note(
    recs: &Recommendations,
    section: Section,
    locale: &Locale<'_>,
    fmt: &dyn Format,
) -> Option<String> {
    let f = recs
        .free_shipping
        .as_ref()
        .filter(|_| section == Section::FreeShipping)?;
    Some(
        locale
            .texts
            .fill(CopyKey::FreeShippingGap, &[("amount", &fmt.money(f.gap))]),
    )
}

impl Block {
    /// Every product, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| &s.items)
    }

    /// The email-safe HTML fragment (a `<table>`), to paste into a message's body.
    pub fn html(&self) -> String {
        let dir = if self.rtl { "rtl" } else { "ltr" };
        let (start, end) = if self.rtl {
            ("right", "left")
        } else {
            ("left", "right")
        };
        let mut out = String::with_capacity(4096);
        let w = &mut out;
        let _ = write!(
            w,
            "<!-- cartlift: {} suggestions -->\n<table role=\"presentation\" dir=\"{dir}\" lang=\"{}\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;max-width:600px;border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;color:#1f2328;text-align:{start};\">\n",
            self.placement.name(),
            escape(&self.locale)
        );
        for section in &self.sections {
            let _ = writeln!(
                w,
                "<tr><td style=\"padding:20px 0 8px;font-size:20px;line-height:26px;font-weight:bold;text-align:{start};\">{}</td></tr>",
                escape(&section.heading)
            );
            if let Some(note) = &section.note {
                let _ = writeln!(
                    w,
                    "<tr><td style=\"padding:0 0 8px;font-size:14px;line-height:20px;color:#57606a;text-align:{start};\">{}</td></tr>",
                    escape(note)
                );
            }
            for item in &section.items {
                let _ = write!(
                    w,
                    "<tr><td style=\"padding:12px 0;border-top:1px solid #d8dee4;\">\n<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;border-collapse:collapse;\"><tr>\n"
                );
                let link = |w: &mut String, inner: &str, style: &str| {
                    let _ = match &item.url {
                        Some(url) => write!(
                            w,
                            "<a href=\"{}\" target=\"_blank\" style=\"{style}\">{inner}</a>",
                            escape(url)
                        ),
                        None => write!(w, "{inner}"),
                    };
                };
                if let Some(image) = &item.image {
                    let _ = write!(
                        w,
                        "<td width=\"{IMAGE}\" valign=\"top\" style=\"width:{IMAGE}px;padding:0;padding-{end}:12px;\">"
                    );
                    let img = format!(
                        "<img src=\"{}\" width=\"{IMAGE}\" height=\"{IMAGE}\" alt=\"{}\" style=\"display:block;width:{IMAGE}px;height:{IMAGE}px;border:0;outline:none;text-decoration:none;\">",
                        escape(image),
                        escape(&item.title)
                    );
                    link(w, &img, "text-decoration:none;");
                    let _ = writeln!(w, "</td>");
                }
                let _ = write!(
                    w,
                    "<td valign=\"top\" style=\"font-size:14px;line-height:20px;text-align:{start};word-break:break-word;overflow-wrap:anywhere;\">"
                );
                link(
                    w,
                    &escape(&item.title),
                    "color:#1f2328;font-weight:bold;text-decoration:underline;",
                );
                let _ = write!(
                    w,
                    "<br><span style=\"color:#57606a;\">{}</span><br><span style=\"font-weight:bold;\">{}</span>",
                    escape(&item.reason),
                    escape(&item.price_text)
                );
                if let Some(was) = &item.compare_at_text {
                    let _ = write!(w, " <s style=\"color:#57606a;\">{}</s>", escape(was));
                }
                let _ = writeln!(w, "</td>\n</tr></table>\n</td></tr>");
            }
        }
        out.push_str("</table>\n");
        out
    }

    /// The plain-text alternative (`multipart/alternative`).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for section in &self.sections {
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", section.heading);
            if let Some(note) = &section.note {
                let _ = writeln!(out, "{note}");
            }
            for item in &section.items {
                let _ = write!(out, "\n- {}: {}", item.title, item.price_text);
                if let Some(was) = &item.compare_at_text {
                    let _ = write!(out, " (was {was})");
                }
                let _ = writeln!(out, "\n  {}", item.reason);
                if let Some(url) = &item.url {
                    let _ = writeln!(out, "  {url}");
                }
            }
        }
        out
    }

    /// The same suggestions as data, for platforms that template their own emails.
    pub fn json(&self) -> serde_json::Value {
        let currency = cartlift_engine::Currency::parse(&self.currency);
        json!({
            "placement": self.placement.name(),
            "locale": self.locale,
            "dir": if self.rtl { "rtl" } else { "ltr" },
            "currency": self.currency,
            "sections": self.sections.iter().map(|s| json!({
                "section": section_name(s.section),
                "heading": s.heading,
                "note": s.note,
                "items": s.items.iter().map(|i| json!({
                    "id": i.id,
                    "title": i.title,
                    "link": i.url,
                    "image_link": i.image,
                    "price": currency.map(|c| c.to_major(i.price)),
                    "price_text": i.price_text,
                    "compare_at_price_text": i.compare_at_text,
                    "reason": i.reason,
                    "kind": i.kind,
                    "rules": i.rules,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// A section's name in the JSON.
fn section_name(section: Section) -> &'static str {
    match section {
        Section::FreeShipping => "free_shipping",
        Section::Suggestions => "suggestions",
        Section::AddOns => "add_ons",
        Section::Upgrades => "upgrades",
    }
}
