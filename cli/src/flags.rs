//! Flag groups that several commands share, declared once so that a flag means, defaults
//! and is checked the same everywhere it appears:
//!
//! - [`OrderInput`]: how to read an order history (`mine`, `evaluate`);
//! - [`Output`]: where the result goes, `-o`, `--into`, `--backup` (`mine`, `import`,
//!   `catalog`).
//!
//! A command flattens the group into its own flags (`#[command(flatten)]`) and turns it
//! once into the validated value it works with ([`OrderInput::settings`],
//! [`Output::destination`]). What clap can check from the flags alone it checks (exit 2
//! with its usage message); what depends on their values is checked in that conversion
//! (exit 2 through `main`'s error path).

use anyhow::{Result, bail};
use cartlift_engine::orders::{Column, Format, OrderReader};
use std::path::{Path, PathBuf};

/// How to read an order history: its layout, delimiter and columns.
#[derive(clap::Args)]
pub struct OrderInput {
    /// The input's layout; `auto` tells Shopify and WooCommerce exports by their header
    /// and takes anything else for a baskets file.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// Field delimiter (one character; `\t` for tab).
    #[arg(long, default_value = ",", value_parser = parse_delimiter)]
    delimiter: u8,
    /// Order-line CSV: the column with the order id (header name, or number from 1).
    #[arg(long, value_name = "COLUMN")]
    order_col: Option<String>,
    /// Order-line CSV: the column naming the item; repeat for fallbacks used when it is
    /// empty (e.g. SKU, then product name).
    #[arg(long, value_name = "COLUMN")]
    item_col: Vec<String>,
    /// Malformed rows are fatal (exit 1) instead of skipped and counted.
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
enum FormatArg {
    Auto,
    Baskets,
    OrderLines,
    Shopify,
    Woocommerce,
}

/// `--delimiter`: one byte. A multi-byte character is refused rather than cut, since the
/// CSV reader splits on bytes.
pub(crate) fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "\\t" | "\t" | "tab" => Ok(b'\t'),
        d if d.len() == 1 => Ok(d.as_bytes()[0]),
        _ => Err("use a single ASCII character (or \\t)".into()),
    }
}

/// [`OrderInput`], checked: what the engine's order reader is built from.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderSettings {
    pub format: Format,
    pub delimiter: u8,
    pub strict: bool,
}

impl OrderInput {
    /// The settings, or a usage error when the columns and the format disagree (the
    /// columns only mean something for order-line CSV, and it needs both).
    pub fn settings(&self) -> Result<OrderSettings> {
        let columns = self.order_col.is_some() || !self.item_col.is_empty();
        let format = match self.format {
            FormatArg::OrderLines | FormatArg::Auto if columns => {
                let (Some(order), false) = (&self.order_col, self.item_col.is_empty()) else {
                    bail!("order-line input needs both --order-col and --item-col");
                };
                Format::OrderLines {
                    order: Column::parse(order),
                    items: self.item_col.iter().map(|c| Column::parse(c)).collect(),
                }
            }
            FormatArg::OrderLines => bail!("--format order-lines needs --order-col and --item-col"),
            _ if columns => bail!("--order-col and --item-col go with --format order-lines"),
            FormatArg::Auto => Format::Auto,
            FormatArg::Baskets => Format::Baskets,
            FormatArg::Shopify => Format::Shopify,
            FormatArg::Woocommerce => Format::WooCommerce,
        };
        Ok(OrderSettings {
            format,
            delimiter: self.delimiter,
            strict: self.strict,
        })
    }
}

impl OrderSettings {
    /// A reader of orders in this layout.
    pub fn reader(&self) -> OrderReader {
        OrderReader::with_delimiter(self.format.clone(), self.delimiter).strict(self.strict)
    }
}

/// Where a command's result (rules, or a catalog) goes: a standalone file (or stdout), or
/// merged into a config.
#[derive(clap::Args)]
// `--backup` keeps the file being replaced, so it needs one: `-o FILE` or `--into`.
#[command(group(clap::ArgGroup::new("written").args(["output", "into"]).multiple(true)))]
pub struct Output {
    /// Where to write the result (`-`: stdout). With `--into`, defaults to that config.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Merge into this config: `mine` and `import` replace its `source: mined` rules
    /// (rules naming products outside its catalog are skipped and counted); `catalog`
    /// replaces its catalog (rules naming products that are gone are listed and dropped).
    #[arg(long, value_name = "CONFIG")]
    into: Option<PathBuf>,
    /// Keep the file being replaced (the `--into` config or the `-o` file) as FILE.bak.
    /// Files are always replaced atomically: a failed run leaves the old one untouched.
    #[arg(long, requires = "written")]
    backup: bool,
}

/// [`Output`], checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Destination {
    /// Where the rules are written.
    pub to: Target,
    /// Keep the replaced file as `FILE.bak` ([`crate::write::keep_backups`]).
    pub backup: bool,
}

/// Where the rules are written.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A standalone file of rules (or of a catalog): `-o` as given (`None` or `-`: stdout).
    Rules(Option<PathBuf>),
    /// Merged into `config`; `output` (`-o`) receives the result instead of the config
    /// itself.
    Into {
        config: PathBuf,
        output: Option<PathBuf>,
    },
}

impl Output {
    /// The destination, or a usage error when the flags ask for something no file can
    /// hold: a merged config on stdout, or a backup of stdout.
    pub fn destination(&self) -> Result<Destination> {
        let stdout = self.output.as_deref() == Some(Path::new("-"));
        if self.into.is_some() && stdout {
            bail!("--into writes a config file; -o - (stdout) goes without it");
        }
        if self.backup && stdout {
            bail!("--backup keeps a replaced file; -o - (stdout) replaces none");
        }
        let to = match &self.into {
            Some(config) => Target::Into {
                config: config.clone(),
                output: self.output.clone(),
            },
            None => Target::Rules(self.output.clone()),
        };
        Ok(Destination {
            to,
            backup: self.backup,
        })
    }
}

impl Destination {
    /// `-o` as given (`-`: stdout), whether or not the rules are merged.
    pub fn output(&self) -> Option<&Path> {
        match &self.to {
            Target::Rules(output) | Target::Into { output, .. } => output.as_deref(),
        }
    }

    /// The config merged into, if any.
    pub fn config(&self) -> Option<&Path> {
        match &self.to {
            Target::Rules(_) => None,
            Target::Into { config, .. } => Some(config),
        }
    }

    /// Where the result is written, as the summary names it: a file, `stdout`, or `None`
    /// when nothing was named (rules on stdout by default).
    pub fn shown(&self) -> Option<String> {
        let path = match &self.to {
            Target::Rules(output) => output.as_deref()?,
            Target::Into { config, output } => output.as_deref().unwrap_or(config),
        };
        Some(if path == Path::new("-") {
            "stdout".to_string()
        } else {
            path.display().to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// A command that takes both groups, as `mine` does.
    #[derive(clap::Parser)]
    struct Both {
        #[command(flatten)]
        output: Output,
        #[command(flatten)]
        input: OrderInput,
    }

    fn parse(args: &[&str]) -> Result<Both, clap::Error> {
        Both::try_parse_from(std::iter::once("cartlift").chain(args.iter().copied()))
    }

    fn destination(args: &[&str]) -> Result<Destination> {
        parse(args).expect("parses").output.destination()
    }

    fn orders(args: &[&str]) -> Result<OrderSettings> {
        parse(args).expect("parses").input.settings()
    }

    #[test]
    fn the_flag_groups_are_consistent() {
        use clap::CommandFactory;
        Both::command().debug_assert();
    }

    #[test]
    fn backup_needs_a_file_to_replace() {
        let e = parse(&["--backup"]).err().expect("refused by clap");
        assert_eq!(e.kind(), clap::error::ErrorKind::MissingRequiredArgument);
        assert!(destination(&["--backup", "-o", "rules.json"]).is_ok());
        assert!(destination(&["--backup", "--into", "config.json"]).is_ok());
        let e = destination(&["--backup", "-o", "-"]).unwrap_err();
        assert!(e.to_string().contains("--backup"), "{e}");
    }

    #[test]
    fn a_merged_config_goes_to_a_file() {
        let e = destination(&["--into", "config.json", "-o", "-"]).unwrap_err();
        assert!(e.to_string().contains("-o - (stdout)"), "{e}");
        let d = destination(&["--into", "config.json", "-o", "new.json"]).unwrap();
        assert_eq!(d.config(), Some(Path::new("config.json")));
        assert_eq!(d.output(), Some(Path::new("new.json")));
        assert_eq!(d.shown().as_deref(), Some("new.json"));
        let d = destination(&["--into", "config.json"]).unwrap();
        assert_eq!(d.shown().as_deref(), Some("config.json"));
    }

    #[test]
    fn rules_go_to_stdout_unless_named() {
        let d = destination(&[]).unwrap();
        assert_eq!((d.to, d.backup), (Target::Rules(None), false));
        assert_eq!(destination(&[]).unwrap().shown(), None);
        assert_eq!(
            destination(&["-o", "-"]).unwrap().shown().as_deref(),
            Some("stdout")
        );
    }

    #[test]
    fn order_columns_go_with_order_lines() {
        let s = orders(&[
            "--order-col",
            "Order",
            "--item-col",
            "SKU",
            "--item-col",
            "2",
        ])
        .unwrap();
        assert_eq!(
            s.format,
            Format::OrderLines {
                order: Column::Name("Order".into()),
                items: vec![Column::Name("SKU".into()), Column::Index(1)],
            }
        );
        for bad in [
            &["--order-col", "Order"][..],
            &["--item-col", "SKU"],
            &["--format", "order-lines"],
            &["--format", "baskets", "--order-col", "a", "--item-col", "b"],
        ] {
            assert!(orders(bad).is_err(), "{bad:?}");
        }
        assert_eq!(orders(&[]).unwrap().format, Format::Auto);
        assert_eq!(
            orders(&["--format", "woocommerce", "--strict"]).unwrap(),
            OrderSettings {
                format: Format::WooCommerce,
                delimiter: b',',
                strict: true
            }
        );
    }

    #[test]
    fn a_delimiter_is_one_byte() {
        for (given, byte) in [(";", b';'), ("\\t", b'\t'), ("tab", b'\t'), ("\t", b'\t')] {
            assert_eq!(orders(&["--delimiter", given]).unwrap().delimiter, byte);
        }
        for bad in ["ab", "é", ""] {
            let e = parse(&["--delimiter", bad]).err().expect("refused");
            assert_eq!(e.kind(), clap::error::ErrorKind::ValueValidation, "{bad:?}");
        }
    }
}
