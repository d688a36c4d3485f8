//! math-core writes MathML Core, where `displaystyle` and `scriptlevel` may
//! stand on any element (`<mrow displaystyle="true" scriptlevel="0">` for
//! `\displaystyle`, `<mfrac displaystyle="true">` for `\dfrac`). The Nu Html
//! Checker validates MathML 3, which allows them only on `<mstyle>` (and
//! `displaystyle` on `<mtable>` and `<math>`). Moving them to an `<mstyle>`
//! around the element keeps the rendering, since its children inherit them,
//! and makes the page valid for both.

/// The attributes that move to a wrapping `<mstyle>`.
const STYLE_ATTRIBUTES: [&str; 2] = ["displaystyle", "scriptlevel"];

/// `mathml` with `displaystyle` and `scriptlevel` moved onto `<mstyle>`s.
pub(super) fn valid_for_mathml3(mathml: &str) -> String {
    if !mathml.contains("style=\"") && !mathml.contains("scriptlevel=\"") {
        return mathml.to_string();
    }
    let mut out = String::with_capacity(mathml.len() + 32);
    let mut open: Vec<bool> = Vec::new();
    let mut rest = mathml;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else { break };
        let tag = &rest[lt..lt + gt + 1];
        rest = &rest[lt + gt + 1..];
        if tag.starts_with("</") {
            out.push_str(tag);
            if open.pop() == Some(true) {
                out.push_str("</mstyle>");
            }
            continue;
        }
        let name = tag[1..].split([' ', '>', '/']).next().unwrap_or("");
        let self_closing = tag.ends_with("/>");
        let (kept, moved) = split_attributes(tag, name);
        if moved.is_empty() {
            out.push_str(tag);
        } else {
            out.push_str(&format!("<mstyle{moved}>{kept}"));
            if self_closing {
                out.push_str("</mstyle>");
            }
        }
        if !self_closing {
            open.push(!moved.is_empty());
        }
    }
    out.push_str(rest);
    out
}

/// The start tag without the attributes MathML 3 does not allow on it, and
/// those attributes (each with its leading space).
fn split_attributes(tag: &str, name: &str) -> (String, String) {
    if matches!(name, "mstyle" | "math") {
        return (tag.to_string(), String::new());
    }
    let (mut kept, mut moved) = (tag.to_string(), String::new());
    for attribute in STYLE_ATTRIBUTES {
        if attribute == "displaystyle" && name == "mtable" {
            continue;
        }
        let Some(start) = kept.find(&format!(" {attribute}=\"")) else { continue };
        let value_start = start + attribute.len() + 3;
        let Some(len) = kept[value_start..].find('"') else { continue };
        let end = value_start + len + 1;
        moved.push_str(&kept[start..end]);
        kept.replace_range(start..end, "");
    }
    (kept, moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_attributes_move_to_an_mstyle() {
        assert_eq!(
            valid_for_mathml3("<math><mrow displaystyle=\"true\" scriptlevel=\"0\"><mi>x</mi></mrow><mi>y</mi></math>"),
            "<math><mstyle displaystyle=\"true\" scriptlevel=\"0\"><mrow><mi>x</mi></mrow></mstyle><mi>y</mi></math>"
        );
        assert_eq!(
            valid_for_mathml3("<mfrac displaystyle=\"true\"><mn>1</mn><mn>2</mn></mfrac>"),
            "<mstyle displaystyle=\"true\"><mfrac><mn>1</mn><mn>2</mn></mfrac></mstyle>"
        );
        assert_eq!(
            valid_for_mathml3(
                "<mtable displaystyle=\"true\" scriptlevel=\"0\" style=\"width: 100%\"><mtr><mtd><mspace/></mtd></mtr></mtable>"
            ),
            "<mstyle scriptlevel=\"0\"><mtable displaystyle=\"true\" style=\"width: 100%\"><mtr><mtd><mspace/></mtd></mtr></mtable></mstyle>"
        );
        let plain = "<math display=\"block\"><mi>a</mi><mo>&lt;</mo><mtext>x</mtext></math>";
        assert_eq!(valid_for_mathml3(plain), plain);
    }
}
