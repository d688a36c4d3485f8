//! Splitting a file into front matter and body, then parsing the YAML: any
//! text gives a split or a diagnostic, never a panic, and every diagnostic
//! points inside the file.
#![no_main]

use learn::content::front_matter::{parse, split};
use learn::content::load::normalise_text;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
#[allow(dead_code)]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let text = normalise_text(text.to_owned());
    match split(&text) {
        Ok(s) => {
            assert!(s.body_start <= text.len() && text.is_char_boundary(s.body_start));
            if !s.yaml.is_empty() {
                let start = s.yaml.as_ptr() as usize - text.as_ptr() as usize;
                assert!(start + s.yaml.len() <= s.body_start);
            }
            if let Err(d) = parse(&text, &s) {
                common::check_diagnostic(&d, &text);
            }
        }
        Err(d) => common::check_diagnostic(&d, &text),
    }
});
