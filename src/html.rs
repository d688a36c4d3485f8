//! Small HTML helpers shared by the renderers.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::borrow::Cow;

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

/// The ASCII characters `encode_path` escapes: `%` itself, those that would
/// end the path or the attribute (`#`, `?`, `"`), and those an `href` may not
/// hold as they are (space, `<`, `>`, control characters).
const PATH_UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'?').add(b'<').add(b'>');

/// Percent-encodes the characters of a URL path that are not safe in an `href`.
/// Letters beyond ASCII stay as they are (`über/`), as in the theme's own links.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while !rest.is_empty() {
        let ascii = rest.find(|c: char| !c.is_ascii()).unwrap_or(rest.len());
        out.extend(utf8_percent_encode(&rest[..ascii], PATH_UNSAFE));
        let other = rest[ascii..].find(|c: char| c.is_ascii()).map_or(rest.len(), |i| ascii + i);
        out.push_str(&rest[ascii..other]);
        rest = &rest[other..];
    }
    out
}

/// Percent-decodes the path or the `#fragment` of a link as written in
/// markdown. A `%` not followed by two hex digits stays as written (`100%`),
/// and bytes that are not UTF-8 become U+FFFD. Resolving a link's file and
/// checking its fragment both decode here, so `%C3%A9` means `é` in both.
pub fn decode(text: &str) -> Cow<'_, str> {
    percent_decode_str(text).decode_utf8_lossy()
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

    #[test]
    fn paths_keep_what_an_href_may_hold() {
        assert_eq!(super::encode_path("img/50% off #1?.svg"), "img/50%25%20off%20%231%3F.svg");
        assert_eq!(super::encode_path("a\"<b>\tc"), "a%22%3Cb%3E%09c");
        assert_eq!(super::encode_path("über/Ça va ?/日本"), "über/Ça%20va%20%3F/日本");
        assert_eq!(super::encode_path(""), "");
    }

    #[test]
    fn decoding_keeps_what_is_not_an_escape() {
        assert_eq!(super::decode("my%20file.md"), "my file.md");
        assert_eq!(super::decode("caf%C3%A9"), "café");
        assert_eq!(super::decode("caf%c3%a9"), "café");
        assert_eq!(super::decode("100%"), "100%");
        assert_eq!(super::decode("%zz%4"), "%zz%4");
        assert_eq!(super::decode("%FF"), "\u{FFFD}");
    }
}
