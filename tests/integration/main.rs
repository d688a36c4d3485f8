//! Integration tests: each builds a small fixture site from `tests/fixtures/`
//! with the real `learn` binary and checks what a user would see.

mod harness;

mod cache;
mod content;
mod diagnostics;
mod hostile;
mod import;
mod init;
mod links;
mod lints;
mod math;
mod offline;
mod output;
mod policy;
mod practice;
mod weight;
