//! Small HTML helpers shared by the renderers.

/// Escapes text for use in HTML content and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 8);
    escape_into(text, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("escaping keeps text UTF-8")
}

/// Escapes `text` into `out`, copying the runs between special characters
/// whole. Templates use it too: it writes what tera's own escaper writes,
/// which goes byte by byte through a `dyn Write` and was a fifth of a
/// 10,000-lesson rebuild's time.
pub fn escape_into(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// Percent-encodes the characters of a URL path that are not safe in an `href`.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3F"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_writes_what_teras_own_escaper_writes() {
        let text = "Tom & Jerry's <b>\"quotes\"</b> — café > 1 & more";
        let mut ours = Vec::new();
        super::escape_into(text, &mut ours).unwrap();
        let mut teras = Vec::new();
        tera::escape_html(text, &mut teras).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(teras).unwrap());
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(super::escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
