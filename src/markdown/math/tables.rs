//! Cell and row breaks (`&`, `\\`) that math-core 0.7 cannot place. It reads
//! such a break as a cell or row of the table only when the break stands
//! between the table's cells; anywhere else (inside braces or
//! `\left…\right`, after `\displaystyle`, `\color` or `\over`, where an
//! argument is expected) release builds silently drop it, merging cells (`\displaystyle a
//! & b \\ c & d` becomes one cell `abcd`), and debug builds trip an assertion
//! and panic. Both are found here first and reported, as TeX itself would
//! ("misplaced alignment tab character").

use math_core::MathDisplay;

/// A table environment being read.
struct Table<'t> {
    /// `\begin{name}` with an array's column spec: what a probe starts with.
    header: &'t str,
    name: &'t str,
    /// The nesting depth the table's own breaks stand at.
    depth: usize,
    /// A `\displaystyle` or `\color` at the table's depth: it runs to the end.
    switched: bool,
    /// Where the current cell starts.
    cell_start: usize,
}

/// The first misplaced `&` or `\\` of a formula: its byte offset, and why.
pub(super) fn misplaced_break(tex: &str) -> Option<(usize, String)> {
    let mut tables: Vec<Table<'_>> = Vec::new();
    let (mut depth, mut sqrt_degrees) = (0usize, Vec::new());
    let mut i = 0;
    while i < tex.len() {
        let (mut brk, mut next) = (None, i + 1);
        match tex.as_bytes()[i] {
            b'\\' => {
                let (name, end) = command(tex, i);
                next = end;
                match name {
                    "\\" => brk = Some("\\\\"),
                    "begin" => {
                        let (env, header_end) = environment(tex, end);
                        let header = &tex[i..header_end];
                        tables.push(Table { header, name: env, depth, switched: false, cell_start: header_end });
                        next = header_end;
                    }
                    "end" => drop(tables.pop()),
                    "left" => depth += 1,
                    "right" => depth = depth.saturating_sub(1),
                    "sqrt" if tex[end..].starts_with('[') => {
                        sqrt_degrees.push(depth);
                        (depth, next) = (depth + 1, end + 1);
                    }
                    "over" | "atop" | "choose" | "brace" | "brack"
                        if tables.last().is_some_and(|t| t.depth == depth) =>
                    {
                        return Some((i, format!("`\\{name}` in a table takes the cells before it too: put it in braces with its cell, `{{a \\{name} b}} & c`")));
                    }
                    "displaystyle" | "textstyle" | "scriptstyle" | "scriptscriptstyle" | "color"
                        if !tex[..i].ends_with('[') =>
                    {
                        if let Some(table) = tables.last_mut().filter(|t| t.depth == depth) {
                            table.switched = true;
                        }
                    }
                    _ => {}
                }
            }
            b'&' => brk = Some("&"),
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b']' if sqrt_degrees.last().is_some_and(|&d| d + 1 == depth) => {
                sqrt_degrees.pop();
                depth -= 1;
            }
            _ => {}
        }
        if let (Some(brk), Some(table)) = (brk, tables.last_mut()) {
            if let Some(why) = why_misplaced(table, depth, &tex[table.cell_start..i]) {
                return Some((i, format!("misplaced `{brk}`: {why}")));
            }
            table.cell_start = next;
            let start = next + tex[next..].len() - tex[next..].trim_start().len();
            if tex[start..].starts_with(['^', '_', '\'']) {
                return Some((start, "a cell cannot start with `^`, `_` or `'`: give it a base, `{}^2`".into()));
            }
        }
        i = next;
    }
    None
}

/// Why a break after `cell` cannot end it, if it cannot.
fn why_misplaced(table: &Table<'_>, depth: usize, cell: &str) -> Option<&'static str> {
    if depth != table.depth {
        return Some("it is inside braces or `\\left`…`\\right`, not between the cells of the table");
    }
    if table.switched {
        return Some(
            "a style (`\\displaystyle`, `\\color`) before it runs to the end of the table, \
             so put the style in braces with its cell: `{\\displaystyle a} & b`",
        );
    }
    // The cell alone, in a table of its own: an error at its very end means it
    // still expects something, and would have taken the break for it.
    let probe = format!("{}{}\\end{{{}}}", table.header, cell, table.name);
    let complete = table.header.len() + cell.trim_end().len();
    match super::converter().convert_with_local_state(&probe, MathDisplay::Block) {
        Err(error) if error.0.start >= complete => {
            Some("it stands where an argument is expected (after `^`, `_`, or a command such as `\\frac`)")
        }
        _ => None,
    }
}

/// The command starting at `tex[i]` (a backslash): its name (letters, or the
/// one character after the backslash) and where it ends.
fn command(tex: &str, i: usize) -> (&str, usize) {
    let rest = &tex[i + 1..];
    let letters = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
    let len = if letters > 0 { letters } else { rest.chars().next().map_or(0, char::len_utf8) };
    (&rest[..len], i + 1 + len)
}

/// After `\begin` (at `at`): the environment's name and where its header
/// ends (after the column spec of an array).
fn environment(tex: &str, at: usize) -> (&str, usize) {
    let Some((name, mut end)) = group(tex, at) else { return ("", at) };
    if matches!(name, "array" | "subarray" | "darray") {
        if let Some((_, spec_end)) = group(tex, end) {
            end = spec_end;
        }
    }
    (name, end)
}

/// The `{...}` group at `at` (after spaces): its content and where it ends.
fn group(tex: &str, at: usize) -> Option<(&str, usize)> {
    let open = at + tex[at..].len() - tex[at..].trim_start().len();
    if !tex[open..].starts_with('{') {
        return None;
    }
    let mut depth = 0usize;
    for (j, c) in tex[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => return Some((&tex[open + 1..open + j], open + j + 1)),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape found to drop a break or trip math-core's assertion.
    #[test]
    fn breaks_math_core_cannot_place_are_found() {
        let cases = [
            (r"\begin{matrix} {a & b} \end{matrix}", "inside braces"),
            (r"\begin{cases} a \\ {b \\ c} \end{cases}", "inside braces"),
            (r"\begin{matrix} \left( a & b \right) \end{matrix}", "inside braces"),
            (r"\begin{matrix} \sqrt[&]{x} \end{matrix}", "inside braces"),
            (r"\begin{matrix} \displaystyle a & b \end{matrix}", "runs to the end"),
            (r"\begin{matrix} \color{red} a & b \end{matrix}", "runs to the end"),
            (r"\begin{matrix} x^& \end{matrix}", "argument"),
            (r"\begin{matrix} x_\\ y \end{matrix}", "argument"),
            (r"\begin{matrix} \frac{1}& y \end{matrix}", "argument"),
            (r"\begin{matrix} \sqrt[3]& y \end{matrix}", "argument"),
            (r"\begin{matrix} \sum\limits^& \end{matrix}", "argument"),
            (r"\begin{matrix} a \over & b \end{matrix}", "takes the cells before it"),
            (r"\begin{pmatrix}&\choose\end{pmatrix}", "takes the cells before it"),
            (r"\begin{matrix}&''\sum\end{matrix}", "cannot start with"),
            (r"\begin{matrix} a \\ _2 \end{matrix}", "cannot start with"),
            (r"\begin{aligned} a &= [^\\ c &= d \end{aligned}", "argument"),
            (r"\begin{array}{cc} \hline x^ & 1 \end{array}", "argument"),
        ];
        for (tex, why) in cases {
            let found = misplaced_break(tex);
            assert!(found.as_ref().is_some_and(|(_, m)| m.contains(why)), "{tex}: {found:?}");
        }
        assert_eq!(misplaced_break(r"\begin{matrix} x^& \end{matrix}").map(|(at, _)| at), Some(17));
    }

    #[test]
    fn tables_as_written_in_lessons_pass() {
        let fine = [
            r"\begin{aligned} a &= \mathrm{d}x + y_{ij} \\ &\le \frac{1}{2} \end{aligned}",
            r"\begin{pmatrix} a_{11} & a_{12} \\ a_{21} & a_{22} \end{pmatrix}",
            r"\begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}",
            r"\begin{array}{c|c} a & b \\ \hline c & d \end{array}",
            r"\begin{matrix} \begin{matrix} a & b \end{matrix} & c \\ \sqrt[3]{x} & {\displaystyle \sum} \end{matrix}",
            r"\begin{align} a &= b \tag{1} \\ c &= d \end{align}",
            r"\begin{matrix} \alpha&\beta\\\gamma&\delta \end{matrix} \quad {a \\ b} \quad x^\\",
            r"\begin{matrix} \bf a & \text{Q\&A} & é \\ \\ & b \end{matrix}",
            r"\begin{matrix} {a \over b} & {}^2 & \binom{n}{k} \end{matrix} \quad a \over b",
        ];
        for tex in fine {
            assert_eq!(misplaced_break(tex), None, "{tex}");
        }
    }
}
