//! Spark's `df.write.parquet(dir)` part files, through the parquet crate's row API (no
//! Arrow: a few thousand to a few million small rows need no columnar kernels).
//! Compiled with Snappy only, Spark's default codec; other codecs are named in the error.

use super::spark::{Location, ReadError, Row, Sink, not_rules_hint};
use parquet::basic::Compression;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use std::path::Path;

/// The columns a row needs; `support` is optional (Spark before 3.0 had none).
const REQUIRED: [&str; 4] = ["antecedent", "consequent", "confidence", "lift"];

/// Reads every row of `path` into `sink`.
pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<(), ReadError> {
    let file = std::fs::File::open(path)?;
    let reader = SerializedFileReader::new(file)
        .map_err(|e| ReadError::Invalid(format!(": not a Parquet file ({e})")))?;
    let metadata = reader.metadata();
    let columns: Vec<&str> = metadata
        .file_metadata()
        .schema()
        .get_fields()
        .iter()
        .map(|f| f.name())
        .collect();
    if let Some(missing) = REQUIRED.iter().find(|c| !columns.contains(c)) {
        return Err(ReadError::Invalid(format!(
            ": no column {missing} (columns: {}){}",
            columns.join(", "),
            not_rules_hint(&columns)
        )));
    }
    for group in metadata.row_groups() {
        for column in group.columns() {
            let codec = match column.compression() {
                Compression::UNCOMPRESSED | Compression::SNAPPY => continue,
                Compression::GZIP(_) => "gzip",
                Compression::ZSTD(_) => "zstd",
                Compression::BROTLI(_) => "brotli",
                Compression::LZ4 | Compression::LZ4_RAW => "lz4",
                Compression::LZO => "lzo",
            };
            return Err(ReadError::Invalid(format!(
                ": written with {codec} compression; cartlift reads Snappy (Spark's default) and uncompressed Parquet: write with .option(\"compression\", \"snappy\")"
            )));
        }
    }
    let rows = reader
        .get_row_iter(None)
        .map_err(|e| ReadError::Invalid(format!(": {e}")))?;
    for (k, row) in rows.enumerate() {
        let at = Location::Row(k as u64 + 1);
        let row = row.map_err(|e| ReadError::Invalid(format!("{at}: {e}")))?;
        let mut fields: [Option<&Field>; 5] = [None; 5];
        for (name, field) in row.get_column_iter() {
            let slot = match name.as_str() {
                "antecedent" => 0,
                "consequent" => 1,
                "confidence" => 2,
                "lift" => 3,
                "support" => 4,
                _ => continue,
            };
            fields[slot] = Some(field).filter(|f| !matches!(f, Field::Null));
        }
        sink(at, convert(fields))
    }
    Ok(())
}

fn convert(fields: [Option<&Field>; 5]) -> Result<Row, String> {
    let [antecedent, consequent, confidence, lift, support] = fields;
    let items = |key: &str, field: Option<&Field>| -> Result<Vec<String>, String> {
        let not = || format!("{key} is not an array of strings");
        let Some(Field::ListInternal(list)) = field else {
            return Err(match field {
                None => format!("{key} is null"),
                Some(_) => not(),
            });
        };
        list.elements()
            .iter()
            .map(|item| match item {
                Field::Str(s) => Ok(s.clone()),
                // Numeric product ids (array<int>/array<bigint>) name catalog ids as text.
                Field::Byte(n) => Ok(n.to_string()),
                Field::Short(n) => Ok(n.to_string()),
                Field::Int(n) => Ok(n.to_string()),
                Field::Long(n) => Ok(n.to_string()),
                Field::UByte(n) => Ok(n.to_string()),
                Field::UShort(n) => Ok(n.to_string()),
                Field::UInt(n) => Ok(n.to_string()),
                Field::ULong(n) => Ok(n.to_string()),
                _ => Err(not()),
            })
            .collect()
    };
    let number = |key: &str, field: Option<&Field>| -> Result<Option<f64>, String> {
        match field {
            None => Ok(None),
            Some(Field::Double(x)) => Ok(Some(*x)),
            Some(Field::Float(x)) => Ok(Some(f64::from(*x))),
            Some(_) => Err(format!("{key} is not a number")),
        }
    };
    Ok(Row {
        antecedent: items("antecedent", antecedent)?,
        consequent: items("consequent", consequent)?,
        confidence: number("confidence", confidence)?.ok_or("confidence is null")?,
        lift: number("lift", lift)?.ok_or("lift is null")?,
        support: number("support", support)?,
    })
}
