//! Integration tests of the `cartlift` binary: real files in, exit codes and output checked.

mod validate;
