//! Drawn product pictures for the demo catalog: flat SVG illustrations generated from a
//! small table, so the repo ships no binary images and no external URLs.

use crate::html::esc;

/// The illustration for a product id: category colours, a drawing, and a label chip.
pub fn product_svg(id: &str, category: &str) -> String {
    let (background, accent) = palette(category);
    let (shape, label) = drawing(id);
    let chip = if label.is_empty() {
        String::new()
    } else {
        let width = 28 + 15 * label.chars().count();
        format!(
            r##"<rect x="24" y="336" width="{width}" height="40" rx="20" fill="{accent}"/><text x="{x}" y="363" font-family="system-ui,sans-serif" font-weight="700" font-size="22" fill="#fff">{label}</text>"##,
            x = 38,
            label = esc(label)
        )
    };
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400"><rect width="400" height="400" rx="28" fill="{background}"/>{shape}{chip}</svg>"#
    )
}

fn palette(category: &str) -> (&'static str, &'static str) {
    match category {
        "cameras" => ("#dbeafe", "#1d4ed8"),
        "recorders" => ("#ede9fe", "#6d28d9"),
        "storage" => ("#fef3c7", "#b45309"),
        "cabling" => ("#dcfce7", "#15803d"),
        "power" => ("#fee2e2", "#b91c1c"),
        "mounting" => ("#e0f2fe", "#0369a1"),
        _ => ("#fce7f3", "#be185d"),
    }
}

const BODY: &str = r##"fill="#f8fafc" stroke="#94a3b8" stroke-width="5""##;

fn lens(cx: u32, cy: u32, r: u32) -> String {
    format!(
        r##"<circle cx="{cx}" cy="{cy}" r="{r}" fill="#0f172a"/><circle cx="{cx}" cy="{cy}" r="{}" fill="#1e3a8a"/><circle cx="{}" cy="{}" r="{}" fill="#93c5fd"/>"##,
        r * 45 / 100,
        cx - r / 4,
        cy - r / 4,
        r / 6 + 1
    )
}

fn drawing(id: &str) -> (String, &'static str) {
    let dome = |label| {
        (
            format!(
                r##"<ellipse cx="200" cy="140" rx="130" ry="28" fill="#cbd5e1"/><path d="M80 150 A120 120 0 0 0 320 150 Z" {BODY}/>{}"##,
                lens(200, 205, 40)
            ),
            label,
        )
    };
    let bullet = |label| {
        (
            format!(
                r##"<rect x="300" y="110" width="40" height="170" rx="8" fill="#cbd5e1"/><rect x="262" y="184" width="44" height="24" fill="#94a3b8"/><rect x="70" y="150" width="210" height="86" rx="34" {BODY}/><rect x="58" y="130" width="200" height="26" rx="12" fill="#e2e8f0" stroke="#94a3b8" stroke-width="4"/>{}"##,
                lens(96, 193, 30)
            ),
            label,
        )
    };
    let disk = |label| {
        (
            r##"<rect x="110" y="70" width="180" height="250" rx="16" fill="#9ca3af"/><circle cx="200" cy="170" r="66" fill="#e5e7eb"/><circle cx="200" cy="170" r="14" fill="#6b7280"/><path d="M262 250 L212 180" stroke="#374151" stroke-width="8" stroke-linecap="round"/><rect x="130" y="270" width="140" height="30" rx="6" fill="#f8fafc"/>"##
                .to_owned(),
            label,
        )
    };
    let recorder = |label| {
        (
            r##"<rect x="50" y="150" width="300" height="100" rx="12" fill="#1f2937"/><rect x="50" y="150" width="300" height="20" rx="10" fill="#374151"/><circle cx="90" cy="215" r="7" fill="#22c55e"/><circle cx="115" cy="215" r="7" fill="#22c55e"/><circle cx="140" cy="215" r="7" fill="#f59e0b"/><rect x="200" y="195" width="120" height="8" rx="4" fill="#4b5563"/><rect x="200" y="212" width="120" height="8" rx="4" fill="#4b5563"/><rect x="200" y="229" width="120" height="8" rx="4" fill="#4b5563"/>"##
                .to_owned(),
            label,
        )
    };
    let coil = |label| {
        (
            r##"<g fill="none" stroke="#2563eb" stroke-width="14"><circle cx="200" cy="190" r="110"/><circle cx="200" cy="190" r="82"/><circle cx="200" cy="190" r="54"/></g><path d="M300 240 Q340 290 320 320" fill="none" stroke="#2563eb" stroke-width="14"/><rect x="302" y="312" width="36" height="30" rx="4" fill="#e2e8f0" stroke="#64748b" stroke-width="4"/>"##
                .to_owned(),
            label,
        )
    };
    match id {
        "cam-dome-4mp" => dome("4 MP"),
        "cam-dome-4k" => dome("4K"),
        "cam-turret-4mp" => (
            format!(
                r##"<rect x="110" y="90" width="180" height="36" rx="10" fill="#cbd5e1"/><circle cx="200" cy="200" r="92" {BODY}/>{}<circle cx="200" cy="128" r="6" fill="#64748b"/>"##,
                lens(200, 210, 44)
            ),
            "MIC",
        ),
        "cam-bullet-4mp" => bullet("4 MP"),
        "cam-bullet-4k" => bullet("4K"),
        "cam-ptz-25x" => (
            format!(
                r##"<rect x="186" y="50" width="28" height="70" fill="#94a3b8"/><rect x="120" y="110" width="160" height="56" rx="18" {BODY}/><circle cx="200" cy="230" r="84" {BODY}/>{}"##,
                lens(200, 245, 38)
            ),
            "25×",
        ),
        "nvr-4ch" => recorder("4 CH"),
        "nvr-8ch" => recorder("8 CH"),
        "nvr-16ch" => recorder("16 CH"),
        "hdd-2tb" => disk("2 TB"),
        "hdd-4tb" => disk("4 TB"),
        "hdd-8tb" => disk("8 TB"),
        "cable-cat6-20m" => coil("20 m"),
        "cable-cat6-305m" => (
            r##"<rect x="90" y="80" width="220" height="240" rx="14" fill="#d6b98c" stroke="#a16207" stroke-width="5"/><circle cx="200" cy="200" r="58" fill="#fef3c7" stroke="#a16207" stroke-width="5"/><path d="M200 142 Q260 140 300 110" fill="none" stroke="#2563eb" stroke-width="12"/>"##
                .to_owned(),
            "305 m",
        ),
        "rj45-50" => {
            let plug = |x: u32, y: u32| {
                format!(
                    r##"<g transform="translate({x} {y})"><rect width="70" height="90" rx="8" fill="#e0f2fe" fill-opacity=".8" stroke="#64748b" stroke-width="4"/><rect x="14" y="10" width="42" height="22" fill="#fbbf24"/><rect x="24" y="90" width="22" height="24" fill="#64748b"/></g>"##
                )
            };
            (
                format!("{}{}{}", plug(90, 120), plug(165, 90), plug(240, 130)),
                "×50",
            )
        }
        "crimp-tool" => (
            r##"<path d="M120 110 L230 200 L160 330" fill="none" stroke="#dc2626" stroke-width="30" stroke-linecap="round"/><path d="M150 90 L250 190 L300 320" fill="none" stroke="#1f2937" stroke-width="30" stroke-linecap="round"/><circle cx="238" cy="196" r="18" fill="#94a3b8"/>"##
                .to_owned(),
            "",
        ),
        "poe-switch-8" => {
            let ports: String = (0..8)
                .map(|i| {
                    format!(
                        r##"<rect x="{}" y="206" width="24" height="20" rx="2" fill="#111827"/>"##,
                        72 + i * 30
                    )
                })
                .collect();
            (
                format!(
                    r##"<rect x="50" y="170" width="300" height="80" rx="10" fill="#334155"/><rect x="50" y="170" width="300" height="16" rx="8" fill="#475569"/>{ports}<circle cx="330" cy="235" r="5" fill="#22c55e"/>"##
                ),
                "8 PORT",
            )
        }
        "poe-injector" => (
            r##"<rect x="120" y="140" width="160" height="120" rx="14" fill="#1f2937"/><rect x="150" y="225" width="34" height="24" fill="#0f172a" stroke="#64748b" stroke-width="3"/><rect x="216" y="225" width="34" height="24" fill="#0f172a" stroke="#64748b" stroke-width="3"/><path d="M200 140 Q200 80 280 70" fill="none" stroke="#111827" stroke-width="10"/>"##
                .to_owned(),
            "30 W",
        ),
        "psu-12v-2a" => (
            r##"<rect x="80" y="150" width="150" height="110" rx="16" fill="#111827"/><rect x="110" y="170" width="30" height="10" rx="3" fill="#374151"/><path d="M230 205 Q300 200 300 290" fill="none" stroke="#111827" stroke-width="10"/><rect x="288" y="284" width="24" height="40" rx="6" fill="#64748b"/>"##
                .to_owned(),
            "12 V",
        ),
        "ups-600va" => (
            r##"<rect x="130" y="70" width="140" height="260" rx="14" fill="#1f2937"/><rect x="155" y="100" width="90" height="46" rx="6" fill="#0ea5e9"/><circle cx="200" cy="190" r="16" fill="none" stroke="#e5e7eb" stroke-width="5"/><rect x="197" y="170" width="6" height="18" fill="#e5e7eb"/><rect x="150" y="260" width="100" height="8" rx="4" fill="#4b5563"/><rect x="150" y="280" width="100" height="8" rx="4" fill="#4b5563"/>"##
                .to_owned(),
            "600 VA",
        ),
        "mount-wall" => (
            r##"<rect x="90" y="90" width="60" height="220" rx="10" fill="#94a3b8"/><path d="M150 200 L270 200 L270 140" fill="none" stroke="#64748b" stroke-width="26" stroke-linejoin="round"/><circle cx="120" cy="130" r="8" fill="#475569"/><circle cx="120" cy="270" r="8" fill="#475569"/><rect x="230" y="110" width="80" height="30" rx="10" fill="#cbd5e1"/>"##
                .to_owned(),
            "",
        ),
        "mount-pole" => (
            r##"<rect x="170" y="40" width="60" height="320" rx="10" fill="#9ca3af"/><rect x="150" y="130" width="100" height="18" rx="6" fill="#e2e8f0" stroke="#64748b" stroke-width="3"/><rect x="150" y="240" width="100" height="18" rx="6" fill="#e2e8f0" stroke="#64748b" stroke-width="3"/><rect x="230" y="150" width="70" height="90" rx="10" fill="#cbd5e1" stroke="#64748b" stroke-width="4"/>"##
                .to_owned(),
            "",
        ),
        "junction-box" => (
            r##"<rect x="100" y="100" width="200" height="200" rx="26" fill="#f8fafc" stroke="#94a3b8" stroke-width="6"/><circle cx="135" cy="135" r="9" fill="#64748b"/><circle cx="265" cy="135" r="9" fill="#64748b"/><circle cx="135" cy="265" r="9" fill="#64748b"/><circle cx="265" cy="265" r="9" fill="#64748b"/><circle cx="200" cy="200" r="34" fill="none" stroke="#cbd5e1" stroke-width="6"/>"##
                .to_owned(),
            "IP66",
        ),
        "housing-heater" => (
            r##"<rect x="60" y="140" width="250" height="100" rx="12" fill="#f1f5f9" stroke="#94a3b8" stroke-width="5"/><rect x="50" y="118" width="270" height="28" rx="10" fill="#e2e8f0" stroke="#94a3b8" stroke-width="4"/><rect x="60" y="160" width="20" height="60" fill="#0f172a"/><path d="M140 260 q15 -15 0 -30 q-15 -15 0 -30 M200 260 q15 -15 0 -30 q-15 -15 0 -30" fill="none" stroke="#ef4444" stroke-width="6"/>"##
                .to_owned(),
            "HEATED",
        ),
        "lens-varifocal" => (
            r##"<rect x="110" y="130" width="180" height="140" rx="12" fill="#1f2937"/><rect x="140" y="124" width="16" height="152" fill="#4b5563"/><rect x="190" y="124" width="16" height="152" fill="#4b5563"/><ellipse cx="290" cy="200" rx="20" ry="70" fill="#1e3a8a"/><ellipse cx="286" cy="190" rx="8" ry="26" fill="#93c5fd"/>"##
                .to_owned(),
            "2.8–12",
        ),
        "sign-cctv" => (
            r##"<rect x="80" y="100" width="240" height="180" rx="16" fill="#facc15" stroke="#111827" stroke-width="8"/><rect x="140" y="150" width="90" height="44" rx="10" fill="#111827"/><rect x="230" y="164" width="26" height="16" fill="#111827"/><text x="200" y="250" text-anchor="middle" font-family="system-ui,sans-serif" font-weight="800" font-size="40" fill="#111827">CCTV</text>"##
                .to_owned(),
            "",
        ),
        _ => (
            r##"<rect x="90" y="150" width="220" height="150" rx="14" fill="#f59e0b"/><rect x="90" y="150" width="220" height="40" rx="14" fill="#d97706"/><rect x="170" y="118" width="60" height="40" rx="10" fill="none" stroke="#92400e" stroke-width="10"/><circle cx="150" cy="240" r="10" fill="#fff7ed"/><circle cx="200" cy="240" r="10" fill="#fff7ed"/><circle cx="250" cy="240" r="10" fill="#fff7ed"/>"##
                .to_owned(),
            "KIT",
        ),
    }
}
