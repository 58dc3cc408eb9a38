//! Source code: syntect highlighting (its syntaxes and theme load once, on
//! first use) and the numbered code view.

use std::path::Path;
use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, Theme, ThemeSet};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::{ColorMode, theme};

struct Assets {
    syntaxes: SyntaxSet,
    theme: Theme,
}

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let mut themes = ThemeSet::load_defaults();
        Assets {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            theme: themes
                .themes
                .remove("base16-ocean.dark")
                .unwrap_or_default(),
        }
    })
}

/// A source file ready to show: its lines (tabs expanded) plain and highlighted.
#[derive(Debug, Clone, Default)]
pub struct Code {
    /// The lines as text, tabs expanded to four spaces.
    pub lines: Vec<String>,
    /// The same lines, highlighted.
    pub styled: Vec<Line<'static>>,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
}

impl Code {
    /// Highlights `text` as Rust.
    pub fn new(text: &str, colors: ColorMode) -> Code {
        let text = text.replace('\t', "    ");
        Code {
            lines: text.lines().map(str::to_owned).collect(),
            styled: highlight(&text, "rust", colors),
            error: None,
        }
    }

    /// Reads and highlights a file; a file that cannot be read says why.
    pub fn load(path: &Path, colors: ColorMode) -> Code {
        match std::fs::read_to_string(path) {
            Ok(text) => Code::new(&text, colors),
            Err(err) => Code {
                error: Some(format!("{} cannot be read: {err}", path.display())),
                ..Code::default()
            },
        }
    }

    /// The highlighted line `number` (1-based), if the file has it.
    pub fn line(&self, number: usize) -> Option<&Line<'static>> {
        self.styled.get(number.checked_sub(1)?)
    }
}

/// Highlights `text` in language `lang` (a name or extension such as `rust`);
/// unknown languages and colourless terminals get plain lines.
pub fn highlight(text: &str, lang: &str, colors: ColorMode) -> Vec<Line<'static>> {
    let plain = || {
        text.lines()
            .map(|line| Line::raw(line.to_owned()))
            .collect()
    };
    if colors == ColorMode::Off {
        return plain();
    }
    let assets = assets();
    let token = match lang.trim() {
        "" | "text" | "txt" | "console" | "sh" | "shell" | "bash" => return plain(),
        "rust" | "rs" | "ignore" | "no_run" | "should_panic" | "compile_fail" => "rs",
        other => other,
    };
    let Some(syntax) = assets.syntaxes.find_syntax_by_token(token) else {
        return plain();
    };
    let default_fg = assets.theme.settings.foreground;
    let mut lines = HighlightLines::new(syntax, &assets.theme);
    let mut out = Vec::new();
    for line in LinesWithEndings::from(text) {
        let Ok(ranges) = lines.highlight_line(line, &assets.syntaxes) else {
            return plain();
        };
        let spans: Vec<Span<'static>> = ranges
            .into_iter()
            .map(|(style, piece)| {
                let piece = piece.trim_end_matches(['\n', '\r']).to_owned();
                let mut out = Style::default();
                if Some(style.foreground) != default_fg {
                    out = out.fg(convert(style.foreground, colors));
                }
                if style.font_style.contains(FontStyle::BOLD) {
                    out = out.add_modifier(Modifier::BOLD);
                }
                Span::styled(piece, out)
            })
            .filter(|span| !span.content.is_empty())
            .collect();
        out.push(Line::from(spans));
    }
    out
}

fn convert(color: syntect::highlighting::Color, colors: ColorMode) -> Color {
    let (r, g, b) = (color.r, color.g, color.b);
    match colors {
        ColorMode::TrueColor => Color::Rgb(r, g, b),
        _ => Color::Indexed(xterm_256(r, g, b)),
    }
}

/// The nearest colour of the xterm 256-colour palette, for terminals without
/// 24-bit colour.
pub fn xterm_256(r: u8, g: u8, b: u8) -> u8 {
    if r == g && g == b {
        return match r {
            0..8 => 16,
            249.. => 231,
            _ => {
                232 + u8::try_from((u16::from(r) - 8) * 24 / 241)
                    .unwrap_or(23)
                    .min(23)
            }
        };
    }
    let level = |v: u8| match v {
        0..48 => 0,
        48..115 => 1,
        _ => (v - 35) / 40,
    };
    16 + 36 * level(r) + 6 * level(g) + level(b)
}

/// The lines of a file with line numbers; lines in `marked` (1-based) get a
/// marker in the gutter, for the lines the last check complained about.
pub fn numbered(code: &Code, marked: &[usize], width: usize) -> Vec<Line<'static>> {
    if let Some(error) = &code.error {
        return vec![Line::styled(error.clone(), theme::bad())];
    }
    let digits = code.styled.len().max(10).ilog10() as usize + 1;
    // Long lines wrap under a dotted gutter, so no code is hidden off screen.
    let more = [Span::styled(format!(" {:>digits$} ┆   ", ""), theme::dim())];
    code.styled
        .iter()
        .enumerate()
        .flat_map(|(i, line)| {
            let number = i + 1;
            let mark = marked.contains(&number);
            let gutter = if mark {
                Span::styled(
                    format!("▶{number:>digits$} │ "),
                    theme::bad().add_modifier(Modifier::BOLD),
                )
            } else {
                Span::styled(format!(" {number:>digits$} │ "), theme::dim())
            };
            super::wrap::wrap_code(&line.spans, width, &[gutter], &more)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_is_highlighted_and_plain_text_is_not() {
        let lines = highlight("fn main() {}\n", "rust", ColorMode::TrueColor);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].spans.len() > 1, "{:?}", lines[0]);
        assert!(lines[0].spans.iter().any(|s| s.style.fg.is_some()));
        let off = highlight("fn main() {}\n", "rust", ColorMode::Off);
        assert!(off[0].spans.iter().all(|s| s.style.fg.is_none()));
    }

    #[test]
    fn the_text_survives_highlighting() {
        let source = "let x = 1; // one\n\tlet y = \"two\";\n";
        let code = Code::new(source, ColorMode::Ansi256);
        let text: Vec<String> = code
            .styled
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(text, ["let x = 1; // one", "    let y = \"two\";"]);
        assert_eq!(code.lines, text);
    }

    #[test]
    fn colours_map_into_the_256_palette() {
        assert_eq!(xterm_256(0, 0, 0), 16);
        assert_eq!(xterm_256(255, 255, 255), 231);
        assert_eq!(xterm_256(255, 0, 0), 196);
        assert_eq!(xterm_256(0, 0, 255), 21);
        assert!((232..=255).contains(&xterm_256(128, 128, 128)));
    }

    #[test]
    fn marked_lines_stand_out_in_the_gutter() {
        let code = Code::new("a\nb\nc\n", ColorMode::Off);
        let lines = numbered(&code, &[2], 40);
        assert_eq!(lines[0].spans[0].content, "  1 │ ");
        assert_eq!(lines[1].spans[0].content, "▶ 2 │ ");
    }

    #[test]
    fn long_lines_wrap_under_a_dotted_gutter() {
        let code = Code::new("let answer = forty_two;\n", ColorMode::Off);
        let lines: Vec<String> = numbered(&code, &[], 18)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(
            lines,
            ["  1 │ let answer =", "    ┆    forty_two", "    ┆   ;"]
        );
    }
}
