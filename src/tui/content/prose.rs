//! Markdown to styled, wrapped lines: headings, emphasis, lists, block quotes,
//! inline code, links (their text, then their address), tables, and code blocks highlighted
//! with syntect.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::wrap::{str_width, wrap};
use super::{ColorMode, code, table, theme};

/// Renders `markdown` to lines at most `width` columns wide (code blocks are
/// not wrapped; the pane clips them).
pub fn render(markdown: &str, width: usize, colors: ColorMode) -> Vec<Line<'static>> {
    let mut renderer = Renderer {
        width: width.max(10),
        colors,
        out: Vec::new(),
        inline: Vec::new(),
        styles: vec![Style::default()],
        items: Vec::new(),
        lists: Vec::new(),
        bullet: None,
        quote: 0,
        code: None,
        table: None,
        links: Vec::new(),
    };
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(markdown, options) {
        renderer.event(event);
    }
    renderer.flush();
    while renderer.out.last().is_some_and(|line| line.width() == 0) {
        renderer.out.pop();
    }
    renderer.out
}

struct Renderer {
    width: usize,
    colors: ColorMode,
    out: Vec<Line<'static>>,
    /// Inline text of the paragraph, heading or item being read.
    inline: Vec<Span<'static>>,
    styles: Vec<Style>,
    /// The indent of each open list item (its bullet's width).
    items: Vec<usize>,
    /// The next number of each open list (`None`: bullets).
    lists: Vec<Option<u64>>,
    /// The bullet of the item whose first line is not out yet.
    bullet: Option<String>,
    quote: usize,
    code: Option<(String, String)>,
    table: Option<Vec<Vec<String>>>,
    /// The targets of the links being read, shown after their text.
    links: Vec<String>,
}

impl Renderer {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some((_, body)) = self.code.as_mut() {
                    body.push_str(&text);
                } else if let Some(rows) = self.table.as_mut() {
                    if let Some(cell) = rows.last_mut().and_then(|row| row.last_mut()) {
                        cell.push_str(&text);
                    }
                } else {
                    self.push(text.into_string());
                }
            }
            Event::Code(text) => {
                if let Some(cell) = self
                    .table
                    .as_mut()
                    .and_then(|rows| rows.last_mut())
                    .and_then(|row| row.last_mut())
                {
                    cell.push_str(&text);
                    return;
                }
                let text = if self.colors == ColorMode::Off {
                    format!("`{text}`")
                } else {
                    text.into_string()
                };
                self.inline
                    .push(Span::styled(text, self.style().patch(theme::code())));
            }
            Event::SoftBreak => self.push(" ".to_owned()),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                self.out
                    .push(Line::styled("─".repeat(self.width.min(60)), theme::dim()));
                self.blank();
            }
            Event::TaskListMarker(done) => self.push(if done { "[x] " } else { "[ ] " }.to_owned()),
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => {}
            Event::InlineMath(text) | Event::DisplayMath(text) => self.push(text.into_string()),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.blank();
                self.styles.push(heading_style(level));
            }
            Tag::Emphasis => self
                .styles
                .push(self.style().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.styles.push(self.style().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self
                .styles
                .push(self.style().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                self.links.push(dest_url.into_string());
                self.styles
                    .push(self.style().add_modifier(Modifier::UNDERLINED));
            }
            Tag::Image { .. } => self.push("[image: ".to_owned()),
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split(',').next().unwrap_or("").trim().to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::List(first) => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
                self.lists.push(first);
            }
            Tag::Item => self.item(),
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Vec::new());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(rows) = self.table.as_mut() {
                    rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|rows| rows.last_mut()) {
                    row.push(String::new());
                }
            }
            _ => {}
        }
    }

    /// A list item begins: its bullet or number.
    fn item(&mut self) {
        self.flush();
        let bullet = match self.lists.last_mut() {
            Some(Some(n)) => {
                *n += 1;
                format!("{}. ", *n - 1)
            }
            _ => "• ".to_owned(),
        };
        self.items.push(str_width(&bullet));
        self.bullet = Some(bullet);
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(level) => {
                let width = self
                    .inline
                    .iter()
                    .map(|span| str_width(&span.content))
                    .sum::<usize>();
                self.flush();
                if level == HeadingLevel::H1 && self.colors == ColorMode::Off {
                    self.out.push(Line::raw("=".repeat(width.min(self.width))));
                }
                self.styles.pop();
                self.blank();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link => {
                self.styles.pop();
                // A course's further-reading list is useless without the address.
                if let Some(url) = self
                    .links
                    .pop()
                    .filter(|u| !u.is_empty() && !u.starts_with('#'))
                {
                    self.inline
                        .push(Span::styled(format!(" ({url})"), theme::dim()));
                }
            }
            TagEnd::Image => self.push("]".to_owned()),
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.blank();
            }
            TagEnd::CodeBlock => self.code_block(),
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Item => {
                self.flush();
                self.items.pop();
            }
            TagEnd::Table => self.table(),
            _ => {}
        }
    }

    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push(&mut self, text: String) {
        let style = self.style();
        self.inline.push(Span::styled(text, style));
    }

    /// The prefix of continuation lines: quote bars and list indents.
    fn indent(&self) -> Vec<Span<'static>> {
        let mut prefix = Vec::new();
        if self.quote > 0 {
            prefix.push(Span::styled("▌ ".repeat(self.quote), theme::dim()));
        }
        let items: usize = self.items.iter().sum();
        if items > 0 {
            prefix.push(Span::raw(" ".repeat(items)));
        }
        prefix
    }

    /// Writes the pending inline text as wrapped lines.
    fn flush(&mut self) {
        let bullet = self.bullet.take();
        if self.inline.is_empty() && bullet.is_none() {
            return;
        }
        let rest = self.indent();
        let first = match &bullet {
            Some(bullet) => {
                let mut first = Vec::new();
                if self.quote > 0 {
                    first.push(Span::styled("▌ ".repeat(self.quote), theme::dim()));
                }
                let outer: usize = self.items.iter().rev().skip(1).sum();
                first.push(Span::raw(" ".repeat(outer)));
                first.push(Span::styled(bullet.clone(), theme::accent()));
                first
            }
            None => rest.clone(),
        };
        let spans = std::mem::take(&mut self.inline);
        self.out.extend(wrap(&spans, self.width, &first, &rest));
    }

    /// Ends a block with one blank line (never two, never at the top).
    fn blank(&mut self) {
        if self.out.last().is_some_and(|line| line.width() > 0) {
            self.out.push(Line::default());
        }
    }

    fn code_block(&mut self) {
        let Some((lang, body)) = self.code.take() else {
            return;
        };
        let mut prefix = self.indent();
        let mut more = prefix.clone();
        prefix.push(Span::styled("  │ ", theme::dim()));
        // Long lines wrap under a dotted rule rather than being cut off.
        more.push(Span::styled("  ┆   ", theme::dim()));
        for line in code::highlight(&body.replace('\t', "    "), &lang, self.colors) {
            let rows = super::wrap::wrap_code(&line.spans, self.width, &prefix, &more);
            self.out.extend(rows);
        }
        self.blank();
    }

    fn table(&mut self) {
        let Some(rows) = self.table.take() else {
            return;
        };
        let lines = table::render(&rows, self.width, &self.indent());
        self.out.extend(lines);
        self.blank();
    }
}

/// How a heading of `level` stands out.
fn heading_style(level: HeadingLevel) -> Style {
    match level {
        HeadingLevel::H1 => theme::accent().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        HeadingLevel::H2 => theme::accent().add_modifier(Modifier::BOLD),
        _ => Style::new().add_modifier(Modifier::BOLD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(markdown: &str, width: usize) -> Vec<String> {
        render(markdown, width, ColorMode::Off)
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn headings_paragraphs_and_inline_code() {
        let lines = text(
            "# Title\n\nSome `code` and **bold** text\nthat wraps.\n",
            20,
        );
        assert_eq!(
            lines,
            [
                "Title",
                "=====",
                "",
                "Some `code` and bold",
                "text that wraps."
            ]
        );
    }

    #[test]
    fn lists_hang_under_their_bullets() {
        let lines = text("- first item is long\n- second\n\n1. one\n2. two\n", 14);
        assert_eq!(
            lines,
            [
                "• first item",
                "  is long",
                "• second",
                "",
                "1. one",
                "2. two"
            ]
        );
    }

    #[test]
    fn nested_lists_indent() {
        let lines = text("- outer\n  - inner\n", 40);
        assert_eq!(lines, ["• outer", "  • inner"]);
    }

    #[test]
    fn long_code_lines_wrap_instead_of_being_cut() {
        let lines = text("```rust\nlet total = first_value + second_value;\n```", 24);
        assert_eq!(
            lines,
            [
                "  │ let total = first_va",
                "  ┆   lue + second_value",
                "  ┆   ;"
            ]
        );
    }

    #[test]
    fn code_blocks_are_kept_as_written() {
        let lines = text(
            "Intro:\n\n```rust\nfn main() {\n    x\n}\n```\n\nAfter.",
            40,
        );
        assert_eq!(
            lines,
            [
                "Intro:",
                "",
                "  │ fn main() {",
                "  │     x",
                "  │ }",
                "",
                "After."
            ]
        );
    }

    #[test]
    fn links_show_their_text_and_quotes_a_bar() {
        let lines = text("See [the docs](https://example.com).\n\n> quoted\n", 40);
        assert_eq!(
            lines,
            ["See the docs (https://example.com).", "", "▌ quoted"]
        );
    }

    #[test]
    fn tables_line_up() {
        let lines = text("| a | bb |\n|---|---|\n| ccc | d |\n", 40);
        assert_eq!(lines, ["a   │ bb", "────┼───", "ccc │ d"]);
    }
}
